// ringcheck stress: the reproducer folder of a run.
//
// Written FIRST, before the run starts (config.json, status "running"), so that a run killed by a
// sanitizer report or a crash leaves its configuration behind; completed with the history and
// the counterexample when the run itself detects the failure; removed when the run passes.
#pragma once

#include <filesystem>
#include <string>

#include "ringcheck/stress/config.hpp"
#include "ringcheck/stress/result.hpp"

namespace ringcheck::stress {

class reproducer {
public:
    /// Creates `folder` with config.json and arms the crash notes for this run.
    reproducer(std::filesystem::path folder, const stress_config& config, std::string replay_command);
    ~reproducer();
    reproducer(const reproducer&) = delete;
    reproducer& operator=(const reproducer&) = delete;

    /// The run found a failure: history, counterexample (text and SVG), failure.txt.
    void complete(const stress_result& result);
    /// The run found no failure but the oracle could not decide its history: the folder stays
    /// with config.json (status "undecided"), undecided.txt and the history (undecided-history.txt).
    void keep_undecided(const stress_result& result);
    /// The run passed: the folder goes.
    void discard();
    /// From the watchdog, before it aborts the process.
    void note_hang(const std::string& why);

    const std::filesystem::path& folder() const noexcept { return folder_; }
    const std::string& replay_command() const noexcept { return replay_; }

private:
    std::filesystem::path folder_;
    stress_config config_;
    std::string replay_;
};

/// Installs the process-wide death notes: the sanitizer death callback (ASan, UBSan, TSan) and,
/// without a sanitizer, handlers of SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT. Each writes
/// failure.txt into the folder of the run in progress and prints the replay command.
void install_death_notes();

/// The leak check of the ASan build (no-op elsewhere): true if this run leaked.
bool leaked_since_last_check();

}  // namespace ringcheck::stress
