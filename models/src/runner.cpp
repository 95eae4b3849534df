// ringcheck-models: the command line of a model runner binary.
#include "ringcheck/models/runner.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

namespace ringcheck::models {
namespace {

constexpr std::string_view usage =
    "usage: ringcheck-models list\n"
    "       ringcheck-models run MODEL|PREFIX*|all [--mutant RING.SITE=ORDER] [--iterations N] [--seed S]\n"
    "                        [--context-bound K] [--state TEXT]\n"
    "                        [--replay-out FILE] [--expect RESULT]\n"
    "       ringcheck-models replay FILE\n"
    "       ringcheck-models matrix --out DIR [--catalogue BINARY]... [--over-strong FILE]\n"
    "                        [--catalogue-notes FILE] [--jobs N] [--gate]\n"
    "       ringcheck-models row    (catalogue mutant binaries: run every model, print one matrix row)\n"
    "RESULT is Relacy's result in lower case with underscores (data_race, deadlock, livelock,\n"
    "user_assert_failed for an oracle violation, ...). Exit: 0 pass (or the expected failure),\n"
    "1 a model failed, 2 bad input.\n";

struct bad_input : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string result_name(rl::test_result_e r) {
    std::string s = rl::test_result_str(r);
    for (char& c : s) c = c == ' ' || c == '-' || c == '/' ? '_' : static_cast<char>(std::tolower(c));
    return s;
}

std::string scheduler_name(rl::scheduler_type_e s) {
    return s == rl::sched_full ? "full" : s == rl::sched_bound ? "bound" : "random";
}

// Bounds past which a number means a typo, not a plan (and seed + iterations cannot overflow).
constexpr std::uint64_t max_iterations = 1'000'000'000'000ULL, max_seed = 1'000'000'000'000'000'000ULL;
constexpr std::uint64_t max_context_bound = 16;

std::uint64_t parse_count(const std::string& flag, const std::string& s, std::uint64_t most, std::uint64_t least = 0) {
    std::size_t used = 0;
    unsigned long long v = 0;
    try {
        v = std::stoull(s, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != s.size() || s.empty() || !std::isdigit(static_cast<unsigned char>(s[0])) || v > most || v < least) {
        throw bad_input(flag + " needs an integer in [" + std::to_string(least) + ", " + std::to_string(most) +
                        "], got '" + s + "'");
    }
    return v;
}

/// How to run one model: its defaults, overridden by the command line.
struct run_settings {
    std::optional<std::uint64_t> iterations, seed;
    std::optional<unsigned> context_bound;
    std::optional<std::string> state;  // Relacy's scheduler state of a failing iteration
};

struct outcome {
    rl::test_result_e result = rl::test_result_success;
    std::uint64_t iterations = 0;
    double seconds = 0;
    std::string relacy_output;
    std::string counterexample;
    std::string state;  // replays the failing iteration
    rl::scheduler_type_e scheduler = rl::sched_random;
    unsigned context_bound = 0;
};

/// Relacy's random scheduler seeds each iteration with its number: --seed S runs iterations
/// S..S+N-1, and a failing iteration K replays as state "K" with iteration count K.
outcome run(const model_entry& m, const run_settings& s) {
    rl::ostringstream relacy_out, progress;  // written while Relacy's allocator is live: malloc-backed
    rl::test_params p;
    p.output_stream = &relacy_out;
    p.progress_stream = &progress;
    p.search_type = m.scheduler;
    p.context_bound = s.context_bound.value_or(m.context_bound ? m.context_bound : 1);
    const std::uint64_t iterations = std::max<std::uint64_t>(1, s.iterations.value_or(m.iterations ? m.iterations : 1000));
    std::uint64_t first = 1;
    if (s.state) {
        p.initial_state.assign(s.state->begin(), s.state->end());
        std::istringstream in(*s.state);
        in >> first;
        p.iteration_count = first;
    } else {
        first = s.seed.value_or(1);
        if (first == 0) first = 1;
        if (first != 1 && p.search_type == rl::sched_random) {
            const std::string text = std::to_string(first);
            p.initial_state.assign(text.begin(), text.end());
        }
        p.iteration_count = first + iterations - 1;
    }
    last_counterexample().clear();
    const auto start = std::chrono::steady_clock::now();
    outcome o;
    o.result = m.run(p);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.scheduler = p.search_type;
    o.context_bound = p.context_bound;
    o.iterations = p.search_type == rl::sched_random ? p.stop_iteration - first + 1 : p.stop_iteration;
    const auto text = relacy_out.str();
    o.relacy_output.assign(text.begin(), text.end());
    o.counterexample = std::string(last_counterexample().view());
    o.state.assign(p.final_state.begin(), p.final_state.end());
    return o;
}

std::vector<model_entry> models_of_mutant(const std::string& name) {
    for (const order_mutant& m : order_mutants()) {
        if (m.name() == name) return m.models();
    }
    throw bad_input("unknown mutant '" + name + "' (see: ringcheck-models list)");
}

const model_entry& find_model(const std::vector<model_entry>& models, const std::string& name) {
    for (const model_entry& m : models) {
        if (m.name == name) return m;
    }
    throw bad_input("unknown model '" + name + "' (see: ringcheck-models list)");
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string replay_command(const std::string& binary, const model_entry& m, const std::string& mutant, const outcome& o) {
    std::string cmd = binary + " run " + m.name;
    if (!mutant.empty()) cmd += " --mutant " + mutant;
    if (o.scheduler == rl::sched_bound) cmd += " --context-bound " + std::to_string(o.context_bound);
    return cmd + " --state " + quoted(o.state);
}

void write_replay_file(const std::string& path, const std::string& binary, const model_entry& m,
                       const std::string& mutant, const outcome& o) {
    std::ofstream out(path);
    out << "ringcheck-model-replay 1\n"
        << "binary " << binary << "\n"
        << "model " << m.name << "\n"
        << "mutant " << (mutant.empty() ? "-" : mutant) << "\n"
        << "scheduler " << scheduler_name(o.scheduler) << "\n"
        << "context_bound " << o.context_bound << "\n"
        << "state " << o.state << "\n"
        << "result " << result_name(o.result) << "\n";
    if (!out) throw bad_input("cannot write replay file '" + path + "'");
}

void print_failure(const std::string& binary, const model_entry& m, const std::string& mutant,
                   const outcome& o, const std::string& replay_path) {
    std::cout << "FAILED " << m.name << (mutant.empty() ? "" : " [" + mutant + "]") << ": "
              << result_name(o.result) << " after " << o.iterations << " iterations ("
              << scheduler_name(o.scheduler) << " scheduler)\n"
              << "---- Relacy history (failing iteration) ----\n" << o.relacy_output;
    if (!o.counterexample.empty()) std::cout << "---- oracle ----\n" << o.counterexample;
    std::cout << "---- replay ----\n" << replay_command(binary, m, mutant, o) << "\n";
    if (!replay_path.empty()) std::cout << "replay file: " << replay_path << "\n";
}

struct cli {
    std::vector<std::string> positional;
    std::map<std::string, std::vector<std::string>> flags;

    std::optional<std::string> one(const std::string& flag) const {
        auto it = flags.find(flag);
        if (it == flags.end()) return std::nullopt;
        return it->second.back();
    }
    bool has(const std::string& flag) const { return flags.count(flag) != 0; }
};

cli parse_cli(int argc, char** argv, const std::set<std::string>& with_value, const std::set<std::string>& switches) {
    cli c;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--", 0) != 0) {
            c.positional.push_back(a);
        } else if (switches.count(a)) {
            c.flags[a].push_back("");
        } else if (with_value.count(a)) {
            if (i + 1 >= argc) throw bad_input(a + " needs a value");
            c.flags[a].push_back(argv[++i]);
        } else {
            throw bad_input("unknown option '" + a + "'");
        }
    }
    return c;
}

run_settings settings_from(const cli& c) {
    run_settings s;
    if (auto v = c.one("--iterations")) s.iterations = parse_count("--iterations", *v, max_iterations);
    if (auto v = c.one("--seed")) s.seed = parse_count("--seed", *v, max_seed);
    if (auto v = c.one("--context-bound")) {
        s.context_bound = static_cast<unsigned>(parse_count("--context-bound", *v, max_context_bound));
    }
    if (auto v = c.one("--state")) s.state = *v;
    return s;
}

std::string binary_path(char** argv) { return argv[0]; }

int cmd_list() {
    for (const model_entry& m : binary_models()) {
        std::cout << m.name << "\t" << scheduler_name(m.scheduler);
        if (m.scheduler == rl::sched_random) std::cout << " " << m.iterations;
        if (m.scheduler == rl::sched_bound) std::cout << " bound=" << m.context_bound;
        std::cout << "\t" << m.what << "\n";
    }
    for (const order_mutant& m : order_mutants()) std::cout << "mutant " << m.name() << "\t(declared " << m.declared << ")\n";
    return 0;
}

/// Runs the named models; on a failure prints the history and the replay command.
int cmd_run(const std::string& binary, const cli& c) {
    if (c.positional.size() != 1) throw bad_input("run needs exactly one MODEL (or 'all')");
    const std::string mutant = c.one("--mutant").value_or("");
    const std::vector<model_entry> models = mutant.empty() ? binary_models() : models_of_mutant(mutant);
    const std::string& wanted = c.positional[0];
    std::vector<const model_entry*> chosen;
    if (wanted == "all" || wanted.back() == '*') {
        const std::string prefix = wanted == "all" ? "" : wanted.substr(0, wanted.size() - 1);
        for (const model_entry& m : models) {
            if (m.name.rfind(prefix, 0) == 0) chosen.push_back(&m);
        }
        if (chosen.empty()) throw bad_input("no model matches '" + wanted + "'");
    } else {
        chosen.push_back(&find_model(models, wanted));
    }
    const run_settings s = settings_from(c);
    const std::optional<std::string> expect = c.one("--expect");
    for (const model_entry* m : chosen) {
        const outcome o = run(*m, s);
        if (o.result == rl::test_result_success) {
            std::cout << "ok " << m->name << ": " << o.iterations << " iterations, " << scheduler_name(o.scheduler)
                      << " scheduler, " << o.seconds << " s\n";
            continue;
        }
        const std::string path = c.one("--replay-out").value_or(m->name + (mutant.empty() ? "" : "." + mutant) + ".replay");
        write_replay_file(path, binary, *m, mutant, o);
        print_failure(binary, *m, mutant, o, path);
        if (expect && *expect == result_name(o.result)) {
            std::cout << "expected failure: " << *expect << "\n";
            return 0;
        }
        return 1;
    }
    if (expect) {
        std::cout << "expected " << *expect << ", but every model passed\n";
        return 1;
    }
    return 0;
}

std::map<std::string, std::string> read_replay_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw bad_input("cannot read replay file '" + path + "'");
    std::string line;
    if (!std::getline(in, line) || line != "ringcheck-model-replay 1") {
        throw bad_input("'" + path + "' is not a ringcheck-model-replay 1 file");
    }
    std::map<std::string, std::string> fields;
    while (std::getline(in, line)) {
        const std::size_t space = line.find(' ');
        if (space == std::string::npos) throw bad_input("malformed line in '" + path + "': " + line);
        fields[line.substr(0, space)] = line.substr(space + 1);
    }
    for (const char* key : {"model", "mutant", "scheduler", "context_bound", "state", "result"}) {
        if (!fields.count(key)) throw bad_input("replay file '" + path + "' lacks '" + key + "'");
    }
    return fields;
}

/// Replays a failing iteration: exit 0 when it fails again with the recorded result.
int cmd_replay(const std::string& binary, const cli& c) {
    if (c.positional.size() != 1) throw bad_input("replay needs exactly one FILE");
    auto f = read_replay_file(c.positional[0]);
    const std::vector<model_entry> models = f["mutant"] == "-" ? binary_models() : models_of_mutant(f["mutant"]);
    const model_entry& m = find_model(models, f["model"]);
    run_settings s;
    if (f["scheduler"] != scheduler_name(m.scheduler)) throw bad_input("replay file's scheduler " + f["scheduler"] + " is not " + m.name + "'s");
    s.context_bound = static_cast<unsigned>(parse_count("context_bound", f["context_bound"], max_context_bound));
    s.state = f["state"];
    const outcome o = run(m, s);
    if (o.result == rl::test_result_success) {
        std::cout << "replay of " << m.name << " did NOT fail (expected " << f["result"] << ")\n";
        return 1;
    }
    print_failure(binary, m, f["mutant"] == "-" ? "" : f["mutant"], o, "");
    const bool same = result_name(o.result) == f["result"];
    std::cout << (same ? "reproduced: " : "failed differently: ") << result_name(o.result) << "\n";
    return same ? 0 : 1;
}

// ---- the mutation matrix ------------------------------------------------------------------

struct matrix_row {
    std::string ring, site;
    std::optional<std::string> declared, mutant;
    std::string blind_spot;        // catalogue mutants: from catalogue.txt
    std::string must_kill;         // catalogue mutants: the explorers that must kill it
    bool killed = false;
    std::string by, failure;
    std::uint64_t iterations = 0;
    double seconds = 0;
    std::string verdict;
};

/// Runs a mutant's models, cheapest first, until one fails.
matrix_row kill(const std::vector<model_entry>& models, matrix_row row) {
    for (const model_entry& m : models) {
        const outcome o = run(m, {});
        row.seconds += o.seconds;
        if (o.result != rl::test_result_success) {
            row.killed = true;
            row.by = "relacy:" + m.name;
            row.failure = result_name(o.result);
            row.iterations = o.iterations;
            return row;
        }
        row.iterations += o.iterations;
    }
    return row;
}

std::string json_string(const std::optional<std::string>& s) {
    if (!s) return "null";
    std::string out = "\"";
    for (char ch : *s) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "\"";
}

std::string json_row(const matrix_row& r) {
    std::ostringstream out;
    out << "{\"ring\": " << json_string(r.ring) << ", \"site\": " << json_string(r.site)
        << ", \"declared\": " << json_string(r.declared) << ", \"mutant\": " << json_string(r.mutant)
        << ", \"blind_spot\": " << (r.blind_spot.empty() ? "null" : json_string(r.blind_spot))
        << ", \"must_kill\": " << (r.must_kill.empty() ? "null" : json_string(r.must_kill))
        << ", \"explorers\": {\"relacy\": {\"killed\": " << (r.killed ? "true" : "false") << ", \"seconds\": " << r.seconds
        << "}}"
        << ", \"killed\": " << (r.killed ? "true" : "false")
        << ", \"by\": " << (r.killed ? json_string(r.by) : "null")
        << ", \"failure\": " << (r.killed ? json_string(r.failure) : "null")
        << ", \"iterations\": " << r.iterations << ", \"seconds\": " << r.seconds
        << ", \"verdict\": " << json_string(r.verdict) << "}";
    return out.str();
}

/// What a mutant's run found, as one line of tab-separated fields after "ROW": how a catalogue
/// binary (`row`) and a matrix worker hand their result to the matrix.
std::string row_line(const matrix_row& r) {
    std::ostringstream out;
    out << "ROW\t" << r.site << "\t" << r.killed << "\t" << r.by << "\t" << r.failure << "\t" << r.iterations << "\t"
        << r.seconds << "\n";
    return out.str();
}

/// The result fields of row_line's line in `text` (from `who`), over `r`.
matrix_row parse_row_line(const std::string& text, const std::string& who, matrix_row r) {
    const std::size_t at = text.find("ROW\t");
    if (at == std::string::npos) throw bad_input(who + " printed no row");
    std::istringstream in(text.substr(at + 4));
    std::string killed, iterations, seconds;
    std::getline(in, r.site, '\t');
    std::getline(in, killed, '\t');
    std::getline(in, r.by, '\t');
    std::getline(in, r.failure, '\t');
    std::getline(in, iterations, '\t');
    std::getline(in, seconds);
    r.killed = killed == "1";
    r.iterations = std::stoull(iterations);
    r.seconds = std::stod(seconds);
    return r;
}

int cmd_row() {
    if (catalogue_mutant().empty()) throw bad_input("row: this binary is not a catalogue mutant");
    matrix_row r;
    r.site = std::string(catalogue_mutant());
    std::cout << row_line(kill(binary_models(), r));
    return 0;
}

/// What a catalogue binary's `row` printed.
std::string catalogue_output(const std::string& binary) {
    FILE* pipe = ::popen((binary + " row").c_str(), "r");
    if (!pipe) throw bad_input("cannot run '" + binary + "'");
    std::string text;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
    ::pclose(pipe);
    return text;
}

/// Runs job(0..count-1), each in a child process of its own, at most `width` at once (Relacy's
/// state is global: its models cannot share a process's threads), and returns what each job
/// returned, in job order. A job that throws, or a child that dies, fails the whole run.
std::vector<std::string> in_children(std::size_t count, unsigned width, const std::function<std::string(std::size_t)>& job) {
    struct child {
        pid_t pid;
        int fd;
        std::size_t job;
    };
    std::vector<std::string> results(count);
    std::vector<child> running;
    struct stop_on_error {  // a failure ends the workers still running: none outlives the matrix
        std::vector<child>& running;
        ~stop_on_error() {
            for (const child& c : running) {
                ::kill(c.pid, SIGKILL);
                ::close(c.fd);
                ::waitpid(c.pid, nullptr, 0);
            }
        }
    } stop{running};
    std::size_t next = 0;
    std::cout.flush();  // a buffer not flushed before fork() would be written twice
    while (next < count || !running.empty()) {
        while (next < count && running.size() < width) {
            int ends[2];
            if (::pipe(ends) != 0) throw bad_input("matrix: pipe() failed");
            const pid_t pid = ::fork();
            if (pid < 0) {
                ::close(ends[0]), ::close(ends[1]);
                throw bad_input("matrix: fork() failed");
            }
            if (pid == 0) {
                ::close(ends[0]);
                std::string text;
                try {
                    text = job(next);
                } catch (const std::exception& e) {
                    std::cerr << "ringcheck-models: " << e.what() << "\n";
                    ::_exit(2);
                }
                for (std::size_t sent = 0; sent < text.size();) {
                    const ssize_t n = ::write(ends[1], text.data() + sent, text.size() - sent);
                    if (n <= 0) ::_exit(3);
                    sent += static_cast<std::size_t>(n);
                }
                ::_exit(0);
            }
            ::close(ends[1]);
            running.push_back({pid, ends[0], next++});
        }
        std::vector<pollfd> fds;
        for (const child& c : running) fds.push_back({c.fd, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR: poll again
        for (std::size_t i = fds.size(); i-- > 0;) {
            if (!fds[i].revents) continue;
            char buf[4096];
            const ssize_t n = ::read(running[i].fd, buf, sizeof buf);
            if (n > 0) {
                results[running[i].job].append(buf, static_cast<std::size_t>(n));
                continue;
            }
            const child done = running[i];  // end of file: the child has written everything
            running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
            int status = 0;
            ::close(done.fd);
            ::waitpid(done.pid, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                throw bad_input("matrix: the worker of mutant " + std::to_string(done.job + 1) + " failed");
            }
        }
    }
    return results;
}

/// catalogue.txt: "<name> <blind spot> <explorers that must kill it>[ | reason]" per line, '#' comments.
struct catalogue_note {
    std::string blind_spot;
    std::set<std::string> must_kill;
    std::string must_kill_text;
};
std::map<std::string, catalogue_note> read_catalogue_notes(const std::string& path) {
    std::map<std::string, catalogue_note> notes;
    std::ifstream in(path);
    if (!in) throw bad_input("cannot read '" + path + "'");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line.substr(0, line.find('|')));
        std::string name;
        catalogue_note n;
        fields >> name >> n.blind_spot >> n.must_kill_text;
        if (name.empty() || n.must_kill_text.empty()) throw bad_input("catalogue notes: malformed line '" + line + "'");
        std::istringstream explorers(n.must_kill_text);
        for (std::string e; std::getline(explorers, e, ',');) n.must_kill.insert(e);
        notes[name] = n;
    }
    return notes;
}

/// A catalogue row judged against its notes: Relacy must kill exactly the mutants that list it.
int judge_catalogue_row(matrix_row& r, const std::map<std::string, catalogue_note>& notes) {
    if (notes.empty()) return !r.killed;
    const auto note = notes.find(r.site);
    if (note == notes.end()) {
        r.verdict = "not described in catalogue.txt";
        return 1;
    }
    r.blind_spot = note->second.blind_spot;
    r.must_kill = note->second.must_kill_text;
    const bool expected = note->second.must_kill.count("relacy") != 0;
    if (r.killed == expected) {
        r.verdict = r.killed ? "killed" : "not seen by the models, as listed (must kill: " + r.must_kill + "; deep sweep)";
        return 0;
    }
    r.verdict = r.killed ? "killed, but catalogue.txt does not list relacy: add it" : "SURVIVED (catalogue.txt says the models must kill it)";
    return 1;
}

/// Examined survivors: "<ring>.<site>=<order> <reason>" per line, '#' comments.
std::map<std::string, std::string> read_over_strong(const std::string& path) {
    std::map<std::string, std::string> examined;
    std::ifstream in(path);
    if (!in) throw bad_input("cannot read '" + path + "'");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const std::size_t space = line.find(' ');
        examined[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
    }
    return examined;
}

void write_matrix(const std::string& dir, const std::vector<matrix_row>& rows, const std::vector<std::string>& not_applicable) {
    std::ofstream json(dir + "/mutation-matrix.json");
    json << "[\n";
    for (std::size_t i = 0; i < rows.size(); ++i) json << "  " << json_row(rows[i]) << (i + 1 < rows.size() ? ",\n" : "\n");
    json << "]\n";
    std::ofstream md(dir + "/mutation-matrix.md");
    md << "| ring | site | declared | mutant | blind spot | must kill | relacy | by | failure | iterations | seconds | verdict |\n"
       << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const matrix_row& r : rows) {
        md << "| " << r.ring << " | " << r.site << " | " << r.declared.value_or("-") << " | " << r.mutant.value_or("-")
           << " | " << (r.blind_spot.empty() ? "-" : r.blind_spot) << " | " << (r.must_kill.empty() ? "-" : r.must_kill)
           << " | " << (r.killed ? "killed" : "**no**") << " | " << (r.killed ? r.by : "-") << " | "
           << (r.killed ? r.failure : "-") << " | " << r.iterations << " | " << r.seconds << " | " << r.verdict << " |\n";
    }
    if (!not_applicable.empty()) {
        md << "\nNot applicable (the order is invalid for the operation at that site, e.g. release on a load):";
        for (const std::string& n : not_applicable) md << " " << n;
        md << "\n";
    }
    if (!json || !md) throw bad_input("cannot write the matrix to '" + dir + "'");
}

int cmd_matrix(const cli& c) {
    const std::string dir = c.one("--out").value_or("");
    if (dir.empty()) throw bad_input("matrix needs --out DIR");
    std::map<std::string, std::string> examined;
    if (auto f = c.one("--over-strong")) examined = read_over_strong(*f);
    const std::string jobs_text = c.one("--jobs").value_or(std::to_string(std::max(1u, std::thread::hardware_concurrency())));
    const unsigned jobs = static_cast<unsigned>(parse_count("--jobs", jobs_text, 256, 1));
    std::vector<std::string> catalogue;
    if (c.flags.count("--catalogue")) catalogue = c.flags.at("--catalogue");
    for (const std::string& binary : catalogue) {
        if (::access(binary.c_str(), X_OK) != 0) throw bad_input("--catalogue '" + binary + "' is not an executable file");
    }
    const std::vector<order_mutant>& mutants = order_mutants();
    // Every mutant runs in a worker process of its own, order mutants first, then catalogue binaries.
    const std::vector<std::string> lines = in_children(mutants.size() + catalogue.size(), jobs, [&](std::size_t i) {
        if (i >= mutants.size()) return catalogue_output(catalogue[i - mutants.size()]);
        inapplicable_order_seen() = false;
        matrix_row r;
        r.site = mutants[i].site;
        r = kill(mutants[i].models(), r);
        return row_line(r) + (inapplicable_order_seen() ? "INAPPLICABLE\n" : "");
    });
    std::vector<matrix_row> rows;
    std::vector<std::string> not_applicable;
    int problems = 0;
    for (std::size_t i = 0; i < mutants.size(); ++i) {
        const order_mutant& m = mutants[i];
        matrix_row r;
        r.ring = m.ring;
        r.declared = m.declared;
        r.mutant = m.mutant;
        r = parse_row_line(lines[i], "the worker of " + m.name(), r);
        if (lines[i].find("INAPPLICABLE\n") != std::string::npos) {
            not_applicable.push_back(m.name());
            continue;
        }
        const auto why = examined.find(m.name());
        if (r.killed) {
            r.verdict = why == examined.end() ? "needed" : "needed (listed as over-strong: remove it from the list)";
            problems += why != examined.end();
        } else {
            r.verdict = why == examined.end() ? "over-strong (candidate), not examined" : "over-strong (candidate): " + why->second;
            problems += why == examined.end();
        }
        std::cout << m.name() << ": " << r.verdict << " (" << r.seconds << " s)\n";
        rows.push_back(r);
    }
    std::map<std::string, catalogue_note> notes;
    if (auto f = c.one("--catalogue-notes")) notes = read_catalogue_notes(*f);
    for (std::size_t i = 0; i < catalogue.size(); ++i) {
        matrix_row r = parse_row_line(lines[mutants.size() + i], "'" + catalogue[i] + " row'", {});
        r.ring = r.site.substr(0, r.site.find('_'));
        r.verdict = r.killed ? "killed" : "SURVIVED (catalogue mutants must be killed)";
        problems += judge_catalogue_row(r, notes);
        std::cout << r.site << ": " << r.verdict << " (" << r.seconds << " s)\n";
        rows.push_back(r);
    }
    write_matrix(dir, rows, not_applicable);
    std::cout << "matrix of " << rows.size() << " mutants: wrote " << dir << "/mutation-matrix.json and mutation-matrix.md; "
              << problems << " problem(s)\n";
    return c.has("--gate") && problems ? 1 : 0;
}

int dispatch(int argc, char** argv) {
    if (argc < 2) throw bad_input("missing command (list, run, replay, matrix, row)");
    const std::string command = argv[1];
    const std::set<std::string> run_flags = {"--mutant", "--iterations", "--seed", "--context-bound",
                                             "--state", "--replay-out", "--expect"};
    if (command == "--help" || command == "-h") {
        std::cout << usage;
        return 0;
    }
    if (command == "list") return cmd_list();
    if (command == "run") return cmd_run(binary_path(argv), parse_cli(argc, argv, run_flags, {}));
    if (command == "replay") return cmd_replay(binary_path(argv), parse_cli(argc, argv, {}, {}));
    if (command == "matrix") return cmd_matrix(parse_cli(argc, argv, {"--out", "--catalogue", "--over-strong", "--catalogue-notes", "--jobs"}, {"--gate"}));
    if (command == "row") return cmd_row();
    throw bad_input("unknown command '" + command + "' (list, run, replay, matrix, row; --help)");
}

}  // namespace

int runner_main(int argc, char** argv) {
    try {
        return dispatch(argc, argv);
    } catch (const bad_input& e) {
        std::cerr << "ringcheck-models: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace ringcheck::models
