// ringcheck stress: the runner's command line (single runs, seed searches, replays).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ringcheck/stress/registry.hpp"
#include "ringcheck/stress/reproducer.hpp"

namespace ringcheck::stress {
namespace {

namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;

constexpr int exit_ok = 0, exit_failure_found = 1, exit_bad_input = 2, exit_undecided = 3;

/// What one run came to: undecided is its own outcome, neither pass nor failure.
enum class outcome { passed, failed, undecided };

int bad_input(const std::string& message) {
    std::cerr << "ringcheck-stress: " << message << "\n";
    return exit_bad_input;
}

/// This program's own path, so that the printed replay command works from any directory.
std::string self_path(const char* argv0) {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(argv0) : self.string();
}

std::string known_names(const registry& queues) {
    std::string names;
    for (const auto& e : queues.entries()) names += (names.empty() ? "" : ", ") + e.name;
    return names;
}

/// The queue exists and can be driven as asked; an error line otherwise.
std::string check_against_queue(const stress_config& c, const queue_entry* q, const registry& queues) {
    if (q == nullptr) return "unknown ring '" + c.ring + "' (known: " + known_names(queues) + ")";
    if (c.mix.needs_blocking_queue() && !q->blocking) {
        return "--mix " + to_string(c.mix) + ": " + q->queue + " has no blocking, timed or close operations (use --mix try)";
    }
    if (c.allow_misuse) return {};
    if (q->max_producers != 0 && c.producers > q->max_producers) {
        return "--producers " + std::to_string(c.producers) + ": " + q->queue + " allows at most " +
               std::to_string(q->max_producers) + " producer(s) (--allow-misuse runs it anyway, to prove a failure)";
    }
    if (q->max_consumers != 0 && c.consumers > q->max_consumers) {
        return "--consumers " + std::to_string(c.consumers) + ": " + q->queue + " allows at most " +
               std::to_string(q->max_consumers) + " consumer(s) (--allow-misuse runs it anyway, to prove a failure)";
    }
    return {};
}

class runner {
public:
    runner(const queue_entry& q, std::string self) : queue_(q), self_(std::move(self)) {}

    /// One run with its reproducer folder (which stays unless the run passed).
    outcome run_once(const stress_config& c, const fs::path& folder) {
        const std::string replay = self_ + " --replay " + fs::absolute(folder).string();
        reproducer repro(folder, c, replay);
        run_hooks hooks{[&repro](const std::string& why) { repro.note_hang(why); }};
        const run_function run = c.perturb && queue_.run_perturbed ? queue_.run_perturbed : queue_.run;
        stress_result r;
        try {
            r = run(c, hooks);
        } catch (...) {  // e.g. a capacity the queue rejects: nothing to reproduce
            repro.discard();
            throw;
        }
        if (r.failure == failure_kind::none && leaked_since_last_check()) {
            r.failure = failure_kind::crash;
            r.message = "LeakSanitizer found leaks in this run (report above)";
        }
        ++runs_;
        ops_checked_ += r.history.ops.size();
        judge_seconds_ += r.judge_seconds;
        if (r.undecided()) {
            ++undecided_;
            repro.keep_undecided(r);
            std::cout << "undecided: " << r.verdict.rule << "\n  history: "
                      << fs::absolute(folder / "undecided-history.txt").string() << "\n  replay: " << replay
                      << std::endl;
            return outcome::undecided;
        }
        if (r.failure == failure_kind::none) {
            repro.discard();
            return outcome::passed;
        }
        repro.complete(r);
        std::cout << "ringcheck-stress: FAILED " << to_string(r.failure) << ": " << r.message
                  << "\n  reproducer: " << fs::absolute(folder).string() << "\n  replay: " << replay << std::endl;
        return outcome::failed;
    }

    unsigned runs() const noexcept { return runs_; }
    unsigned undecided() const noexcept { return undecided_; }
    std::uint64_t ops_checked() const noexcept { return ops_checked_; }
    double judge_seconds() const noexcept { return judge_seconds_; }

private:
    const queue_entry& queue_;
    std::string self_;
    unsigned runs_ = 0;
    unsigned undecided_ = 0;
    std::uint64_t ops_checked_ = 0;
    double judge_seconds_ = 0;
};

fs::path run_folder(const stress_config& c) {
    return fs::path(c.out) / (c.ring + "-" + std::to_string(c.producers) + "x" + std::to_string(c.consumers) +
                              "-cap" + std::to_string(c.capacity) + "-seed" + std::to_string(c.seed));
}

double seconds_since(steady::time_point start) {
    return std::chrono::duration<double>(steady::now() - start).count();
}

std::string seconds_text(double seconds) {
    std::ostringstream s;
    s << seconds << " s";
    return s.str();
}

std::string describe(const stress_config& c, const queue_entry& q) {
    std::ostringstream s;
    s << q.queue << " " << c.producers << "x" << c.consumers << " capacity " << c.capacity << ", "
      << (c.ops > 0 ? std::to_string(c.ops) + " values" : "pushing for " + seconds_text(c.seconds)) << ", mix "
      << to_string(c.mix) << (c.perturb ? ", perturbed" : "") << ", contract " << q.contract;
    return s.str();
}

/// Seeds seed, seed+1, ... (or the same seed again and again) until a failure or the budget ends.
int search(runner& r, stress_config c, const queue_entry& q, double budget, bool same_seed,
           const fs::path& replay_folder) {
    const auto start = steady::now();
    const std::uint64_t first_seed = c.seed;
    do {
        if (r.run_once(c, same_seed ? replay_folder : run_folder(c)) == outcome::failed) {
            std::cout << "ringcheck-stress: " << (same_seed ? "failure reproduced" : "failure found") << " on run "
                      << r.runs() << " (seed " << c.seed << ") after " << seconds_since(start) << " s" << std::endl;
            return exit_failure_found;
        }
        if (!same_seed) ++c.seed;
    } while (seconds_since(start) < budget);
    std::cout << "ringcheck-stress: " << (same_seed ? "failure not reproduced" : "no failure") << " in " << r.runs()
              << " runs of " << describe(c, q) << " (seeds " << first_seed << ".." << (same_seed ? first_seed : c.seed - 1)
              << ", " << r.ops_checked() << " operations checked, budget " << budget << " s, " << seconds_since(start)
              << " s)" << std::endl;
    if (r.undecided() > 0) {
        std::cout << "ringcheck-stress: " << r.undecided() << " of " << r.runs()
                  << " runs undecided (the oracle's budget ran out; histories kept, see the undecided: lines)"
                  << std::endl;
        return exit_undecided;
    }
    return exit_ok;
}

std::variant<stress_config, std::string> load_replay(const std::string& folder) {
    std::ifstream in(fs::path(folder) / "config.json");
    if (!in) return "--replay " + folder + ": no readable config.json there (is it a reproducer folder?)";
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = config_from_json(text.str());
    if (auto* e = std::get_if<cli_error>(&parsed)) return "--replay " + folder + ": " + e->message;
    return std::get<stress_config>(parsed);
}

}  // namespace

int stress_main(int argc, char** argv, const registry& queues) {
    auto parsed = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    if (auto* e = std::get_if<cli_error>(&parsed)) return bad_input(e->message);
    cli_request request = std::get<cli_request>(parsed);
    if (request.help) {
        std::cout << usage();
        return exit_ok;
    }
    if (request.list) {
        for (const auto& e : queues.entries()) {
            std::cout << e.name << "\t" << e.queue << "\tcontract " << e.contract << (e.blocking ? "\tblocking" : "")
                      << (e.run_perturbed ? "\tperturbable backend" : "") << "\n";
        }
        return exit_ok;
    }
    if (!request.replay.empty()) {
        auto loaded = load_replay(request.replay);
        if (auto* e = std::get_if<std::string>(&loaded)) return bad_input(*e);
        request.config = std::get<stress_config>(loaded);
    }
    const stress_config& c = request.config;
    const queue_entry* q = queues.find(c.ring);
    if (auto error = check_against_queue(c, q, queues); !error.empty()) return bad_input(error);
    install_death_notes();
    runner r(*q, self_path(argv[0]));
    try {
        if (!request.replay.empty()) {
            return search(r, c, *q, request.budget, true, fs::path(request.replay) / "replay");
        }
        if (request.repeat_until_fail) return search(r, c, *q, request.budget, false, {});
        const auto start = steady::now();
        const outcome o = r.run_once(c, run_folder(c));
        if (o == outcome::failed) return exit_failure_found;
        if (o == outcome::undecided) return exit_undecided;
        std::cout << "ringcheck-stress: ok: " << describe(c, *q) << ", seed " << c.seed << ": " << r.ops_checked()
                  << " operations checked in " << seconds_since(start) << " s (judging " << r.judge_seconds() << " s)"
                  << std::endl;
        return exit_ok;
    } catch (const std::invalid_argument& e) {
        return bad_input(e.what());  // e.g. a capacity the queue rejects
    }
}

}  // namespace ringcheck::stress
