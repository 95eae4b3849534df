// ringcheck stress: the configuration of one stress run, its command line and its JSON form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ringcheck/oracle/checker.hpp"

namespace ringcheck::stress {

/// Which operations the workers may use. blocking, timed and close need a blocking queue.
struct op_mix {
    bool try_ops = true;   // try_push / try_pop
    bool blocking = false; // push / pop
    bool timed = false;    // try_push_for / try_pop_for
    bool close = false;    // a close() at a seed-chosen moment in the middle of the run
    bool needs_blocking_queue() const { return blocking || timed || close; }
    bool operator==(const op_mix&) const = default;
};

std::optional<op_mix> parse_mix(std::string_view text);  // "try,blocking,timed,close"
std::string to_string(const op_mix& mix);

struct stress_config {
    std::string ring = "mpmc";
    unsigned producers = 1;
    unsigned consumers = 1;
    std::uint64_t capacity = 64;
    std::uint64_t ops = 100000;   // values pushed in total (split among producers); 0 with --seconds
    double seconds = 0;           // producers push until this much time has passed, if > 0
    op_mix mix;
    std::uint64_t seed = 1;
    bool perturb = false;
    bool allow_misuse = false;    // skip the max_producers/max_consumers check (must-fail proofs)
    double watchdog = 120;        // a run not finished after this many seconds is a hang
    std::string out = "stress-repro";
    // The oracle's search budget (ringcheck-lincheck's --budget-steps/--budget-seconds): a
    // history it cannot decide within it is reported as undecided, never as pass or failure.
    std::uint64_t oracle_budget_steps = oracle::check_budget::default_steps;
    double oracle_budget_seconds = oracle::check_budget::default_seconds;
    bool operator==(const stress_config&) const = default;
};

/// What the command line asks for: one run, a search over seeds, or a replay of a reproducer.
struct cli_request {
    stress_config config;
    bool repeat_until_fail = false;  // seeds seed, seed+1, ... until a failure or the budget ends
    double budget = 60;              // seconds, for --repeat-until-fail and --replay
    std::string replay;              // reproducer folder to replay
    bool list = false;               // --list: print the registered queues
    bool help = false;
};

struct cli_error {
    std::string message;
};

/// Parses argv[1..]; an error names the offending option.
std::variant<cli_request, cli_error> parse_command_line(const std::vector<std::string>& args);
std::string usage();

/// The reproducer's config.json: every option of the run, and the run's status.
std::string to_json(const stress_config& config, std::string_view status);
std::variant<stress_config, cli_error> config_from_json(std::string_view json);

/// The command-line options that repeat exactly this configuration.
std::string to_options(const stress_config& config);

}  // namespace ringcheck::stress
