// ringcheck stress: command line and config.json of a stress run.
#include "ringcheck/stress/config.hpp"

#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

namespace ringcheck::stress {
namespace {

constexpr std::string_view repro_format = "ringcheck-stress-repro 1";
constexpr unsigned max_threads_per_side = 64;
// Bounds past which a number means a typo, not a plan: durations up to a week, counts up to 10^12
// operations (days of work), capacities up to 2^31 (every ring's max_capacity()).
constexpr double max_seconds = 7 * 24 * 3600.0;
constexpr std::uint64_t max_ops = 1'000'000'000'000ULL;
constexpr std::uint64_t max_capacity = std::uint64_t{1} << 31;
constexpr std::uint64_t max_oracle_steps = 1'000'000'000'000'000ULL;  // 10^15 search frames: years

template <class N>
std::optional<N> parse_number(std::string_view text) {
    N value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> parse_seconds(std::string_view text) {
    std::string copy(text);
    char* end = nullptr;
    const double value = std::strtod(copy.c_str(), &end);
    if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(value) || value <= 0 ||
        value > max_seconds) {
        return std::nullopt;
    }
    return value;
}

std::string json_escape(std::string_view s) {
    std::string out;
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string shell_quote(std::string_view s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:,=") ==
                          std::string_view::npos) {
        return std::string(s);
    }
    std::string out = "'";
    for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Applies one option with its value to the request; an error message, or empty.
class option_parser {
public:
    explicit option_parser(cli_request& r) : r_(r) {}

    std::string apply(std::string_view name, std::string_view value) {
        stress_config& c = r_.config;
        if (name == "--ring") return set_text(c.ring, value, name);
        if (name == "--producers") return set_threads(c.producers, value, name);
        if (name == "--consumers") return set_threads(c.consumers, value, name);
        if (name == "--capacity") return set_positive(c.capacity, value, name, max_capacity);
        if (name == "--ops") {
            ops_given_ = true;
            return set_positive(c.ops, value, name, max_ops);
        }
        if (name == "--seconds") {
            seconds_given_ = true;
            return set_duration(c.seconds, value, name);
        }
        if (name == "--seed") return set_number(c.seed, value, name);
        if (name == "--budget") return set_duration(r_.budget, value, name);
        if (name == "--watchdog") return set_duration(c.watchdog, value, name);
        if (name == "--out") return set_text(c.out, value, name);
        if (name == "--oracle-budget-steps") return set_positive(c.oracle_budget_steps, value, name, max_oracle_steps);
        if (name == "--oracle-budget-seconds") return set_duration(c.oracle_budget_seconds, value, name);
        if (name == "--replay") return set_text(r_.replay, value, name);
        if (name == "--mix") {
            const auto mix = parse_mix(value);
            if (!mix) return "--mix: '" + std::string(value) + "' is not a comma-separated subset of try,blocking,timed,close";
            c.mix = *mix;
            return {};
        }
        return "unknown option " + std::string(name) + " (see --help)";
    }

    std::string finish() {
        if (ops_given_ && seconds_given_) return "--ops and --seconds exclude each other: give one";
        if (seconds_given_) {
            if (r_.config.seconds <= 0) return "--seconds: must be above 0";
            r_.config.ops = 0;
        }
        if (r_.config.watchdog <= 0) return "--watchdog: must be above 0";
        return {};
    }

private:
    static std::string set_text(std::string& field, std::string_view value, std::string_view name) {
        if (value.empty()) return std::string(name) + ": needs a non-empty value";
        field = value;
        return {};
    }
    static std::string set_threads(unsigned& field, std::string_view value, std::string_view name) {
        const auto n = parse_number<unsigned>(value);
        if (!n || *n == 0 || *n > max_threads_per_side) {
            return std::string(name) + ": '" + std::string(value) + "' is not a count in [1, " +
                   std::to_string(max_threads_per_side) + "]";
        }
        field = *n;
        return {};
    }
    static std::string set_positive(std::uint64_t& field, std::string_view value, std::string_view name,
                                    std::uint64_t most) {
        const auto n = parse_number<std::uint64_t>(value);
        if (!n || *n == 0 || *n > most) {
            return std::string(name) + ": '" + std::string(value) + "' is not an integer in [1, " + std::to_string(most) + "]";
        }
        field = *n;
        return {};
    }
    static std::string set_number(std::uint64_t& field, std::string_view value, std::string_view name) {
        const auto n = parse_number<std::uint64_t>(value);
        if (!n) return std::string(name) + ": '" + std::string(value) + "' is not an unsigned 64-bit integer";
        field = *n;
        return {};
    }
    static std::string set_duration(double& field, std::string_view value, std::string_view name) {
        const auto s = parse_seconds(value);
        if (!s) return std::string(name) + ": '" + std::string(value) + "' is not a number of seconds in (0, 604800]";
        field = *s;
        return {};
    }

    cli_request& r_;
    bool ops_given_ = false;
    bool seconds_given_ = false;
};

/// Sets the flag `name` and returns true, or returns false if `name` is not a flag.
bool apply_flag(std::string_view name, cli_request& r) {
    bool* flag = name == "--perturb"             ? &r.config.perturb
                 : name == "--allow-misuse"      ? &r.config.allow_misuse
                 : name == "--repeat-until-fail" ? &r.repeat_until_fail
                 : name == "--list"              ? &r.list
                 : name == "--help" || name == "-h" ? &r.help
                                                    : nullptr;
    if (flag != nullptr) *flag = true;
    return flag != nullptr;
}

/// A flat JSON object of strings, numbers and booleans, as to_json writes it.
std::variant<std::map<std::string, std::string>, cli_error> parse_flat_json(std::string_view j) {
    std::map<std::string, std::string> fields;
    std::size_t i = 0;
    const auto skip = [&] { while (i < j.size() && std::isspace(static_cast<unsigned char>(j[i]))) ++i; };
    const auto read_string = [&](std::string& out) {
        if (j[i] != '"') return false;
        for (++i; i < j.size() && j[i] != '"'; ++i) {
            if (j[i] == '\\' && i + 1 < j.size()) ++i;
            out += j[i];
        }
        return i++ < j.size();
    };
    skip();
    if (i >= j.size() || j[i++] != '{') return cli_error{"config.json: expected '{' at the start"};
    for (;;) {
        skip();
        if (i < j.size() && j[i] == '}') return fields;
        std::string key, value;
        if (i >= j.size() || !read_string(key)) return cli_error{"config.json: expected a quoted key"};
        skip();
        if (i >= j.size() || j[i++] != ':') return cli_error{"config.json: expected ':' after \"" + key + "\""};
        skip();
        if (i < j.size() && j[i] == '"') {
            if (!read_string(value)) return cli_error{"config.json: unterminated string for \"" + key + "\""};
        } else {
            while (i < j.size() && j[i] != ',' && j[i] != '}' && !std::isspace(static_cast<unsigned char>(j[i]))) value += j[i++];
        }
        fields[key] = value;
        skip();
        if (i < j.size() && j[i] == ',') ++i;
        else if (i >= j.size() || j[i] != '}') return cli_error{"config.json: expected ',' or '}' after \"" + key + "\""};
    }
}

}  // namespace

std::optional<op_mix> parse_mix(std::string_view text) {
    op_mix mix{false, false, false, false};
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto word = text.substr(0, comma);
        if (word == "try") mix.try_ops = true;
        else if (word == "blocking") mix.blocking = true;
        else if (word == "timed") mix.timed = true;
        else if (word == "close") mix.close = true;
        else return std::nullopt;
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    if (!mix.try_ops && !mix.blocking && !mix.timed) return std::nullopt;  // close alone pushes nothing
    return mix;
}

std::string to_string(const op_mix& mix) {
    std::string out;
    const auto add = [&](bool on, const char* word) {
        if (on) out += (out.empty() ? "" : ",") + std::string(word);
    };
    add(mix.try_ops, "try");
    add(mix.blocking, "blocking");
    add(mix.timed, "timed");
    add(mix.close, "close");
    return out;
}

std::variant<cli_request, cli_error> parse_command_line(const std::vector<std::string>& args) {
    cli_request request;
    option_parser parser(request);
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (apply_flag(arg, request)) continue;
        std::string_view name = arg, value;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        } else if (!arg.starts_with("--")) {
            return cli_error{"unexpected argument '" + std::string(arg) + "' (options start with --; see --help)"};
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return cli_error{std::string(arg) + ": missing value (see --help)"};
        }
        if (auto error = parser.apply(name, value); !error.empty()) return cli_error{error};
    }
    if (auto error = parser.finish(); !error.empty()) return cli_error{error};
    return request;
}

std::string usage() {
    return R"(usage: ringcheck-stress [options]
  --ring NAME            queue to stress (--list shows them; default mpmc)
  --producers N          producer threads (default 1; at most the queue's max_producers)
  --consumers N          consumer threads (default 1; at most the queue's max_consumers)
  --capacity C           queue capacity (default 64)
  --ops N                values pushed in total, split among producers (default 100000)
  --seconds S            instead of --ops: producers push for S seconds
  --mix LIST             comma-separated subset of try,blocking,timed,close (default try);
                         blocking, timed and close need a blocking queue
  --seed S               seed of every random choice of the run (default 1)
  --perturb              seeded random yields/spins between operations and inside the ring
  --allow-misuse         skip the thread-count check of the queue's contract (must-fail proofs)
  --watchdog S           a run still going after S seconds is reported as a hang (default 120)
  --out DIR              where failing runs write their reproducer folder (default stress-repro)
  --oracle-budget-steps N    search steps the oracle may spend on the history (default 200000000)
  --oracle-budget-seconds S  seconds the oracle may spend on the history (default 60); a history
                         not decided within the budget is "undecided" (exit 3), never pass or failure
  --repeat-until-fail    run seeds S, S+1, ... until one fails or --budget ends
  --budget S             seconds for --repeat-until-fail and --replay (default 60)
  --replay DIR           rerun a reproducer's configuration and seed until it fails again or
                         --budget ends
  --list                 print the registered queues
exit: 0 no failure, 1 failure found (reproducer written), 2 bad input,
      3 no failure, but the oracle could not decide a history (it is saved next to the reproducer)
)";
}

std::string to_json(const stress_config& c, std::string_view status) {
    std::ostringstream j;
    j << "{\n  \"format\": \"" << repro_format << "\",\n  \"status\": \"" << json_escape(status) << "\",\n"
      << "  \"ring\": \"" << json_escape(c.ring) << "\",\n  \"producers\": " << c.producers
      << ",\n  \"consumers\": " << c.consumers << ",\n  \"capacity\": " << c.capacity
      << ",\n  \"ops\": " << c.ops << ",\n  \"seconds\": " << c.seconds << ",\n  \"mix\": \""
      << to_string(c.mix) << "\",\n  \"seed\": " << c.seed << ",\n  \"perturb\": "
      << (c.perturb ? "true" : "false") << ",\n  \"allow_misuse\": " << (c.allow_misuse ? "true" : "false")
      << ",\n  \"watchdog\": " << c.watchdog << ",\n  \"oracle_budget_steps\": " << c.oracle_budget_steps
      << ",\n  \"oracle_budget_seconds\": " << c.oracle_budget_seconds << ",\n  \"options\": \"" << json_escape(to_options(c)) << "\"\n}\n";
    return j.str();
}

std::variant<stress_config, cli_error> config_from_json(std::string_view json) {
    auto parsed = parse_flat_json(json);
    if (auto* e = std::get_if<cli_error>(&parsed)) return *e;
    auto& f = std::get<std::map<std::string, std::string>>(parsed);
    if (f["format"] != repro_format) {
        return cli_error{"config.json: format is '" + f["format"] + "', this runner reads '" + std::string(repro_format) + "'"};
    }
    std::vector<std::string> args = {"--ring", f["ring"], "--producers", f["producers"],
                                     "--consumers", f["consumers"], "--capacity", f["capacity"],
                                     "--mix", f["mix"], "--seed", f["seed"], "--watchdog", f["watchdog"]};
    if (f["ops"] != "0") args.insert(args.end(), {"--ops", f["ops"]});
    else args.insert(args.end(), {"--seconds", f["seconds"]});
    if (f.count("oracle_budget_steps")) args.insert(args.end(), {"--oracle-budget-steps", f["oracle_budget_steps"]});
    if (f.count("oracle_budget_seconds")) args.insert(args.end(), {"--oracle-budget-seconds", f["oracle_budget_seconds"]});
    if (f["perturb"] == "true") args.push_back("--perturb");
    if (f["allow_misuse"] == "true") args.push_back("--allow-misuse");
    auto request = parse_command_line(args);
    if (auto* e = std::get_if<cli_error>(&request)) return cli_error{"config.json: " + e->message};
    return std::get<cli_request>(request).config;
}

std::string to_options(const stress_config& c) {
    std::string o = "--ring " + shell_quote(c.ring) + " --producers " + std::to_string(c.producers) +
                    " --consumers " + std::to_string(c.consumers) + " --capacity " + std::to_string(c.capacity);
    if (c.ops > 0) o += " --ops " + std::to_string(c.ops);
    else {
        std::ostringstream s;
        s << c.seconds;
        o += " --seconds " + s.str();
    }
    o += " --mix " + to_string(c.mix) + " --seed " + std::to_string(c.seed);
    if (c.perturb) o += " --perturb";
    if (c.allow_misuse) o += " --allow-misuse";
    if (c.oracle_budget_steps != oracle::check_budget::default_steps)
        o += " --oracle-budget-steps " + std::to_string(c.oracle_budget_steps);
    if (c.oracle_budget_seconds != oracle::check_budget::default_seconds) {
        std::ostringstream s;
        s << c.oracle_budget_seconds;
        o += " --oracle-budget-seconds " + s.str();
    }
    return o;
}

}  // namespace ringcheck::stress
