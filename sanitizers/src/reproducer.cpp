// ringcheck stress: reproducer folders and the notes a dying process leaves in them.
#include "ringcheck/stress/reproducer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>

#include "ringcheck/oracle/counterexample.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RINGCHECK_STRESS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(undefined_behavior_sanitizer)
#define RINGCHECK_STRESS_SANITIZED 1
#endif
#endif
#if defined(RINGCHECK_STRESS_SANITIZED)
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RINGCHECK_STRESS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RINGCHECK_STRESS_ASAN 1
#endif
#endif
#if defined(RINGCHECK_STRESS_ASAN)
#include <sanitizer/lsan_interface.h>
#endif

namespace ringcheck::stress {
namespace {

/// What a dying process writes, prepared before the run so that writing it needs only
/// open/write/close (async-signal-safe). One run at a time per process.
struct death_note {
    std::string failure_path;  // <folder>/failure.txt
    std::string failure_text;  // what died, and the replay command
    std::string config_path;   // <folder>/config.json
    std::string config_text;   // config.json with status "died"
    std::string console_text;  // printed on standard error
};

death_note* armed_note = nullptr;
std::atomic<bool> note_written{false};

void write_file(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return;
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

void write_death_note() {
    death_note* note = armed_note;
    if (note == nullptr || note_written.exchange(true)) return;
    write_file(note->failure_path, note->failure_text);
    write_file(note->config_path, note->config_text);
    [[maybe_unused]] const ssize_t n = ::write(2, note->console_text.data(), note->console_text.size());
}

#if !defined(RINGCHECK_STRESS_SANITIZED)
void on_fatal_signal(int signal) {
    write_death_note();
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}
#endif

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

}  // namespace

std::string_view to_string(failure_kind k) noexcept {
    switch (k) {
        case failure_kind::none: return "none";
        case failure_kind::checker: return "checker violation";
        case failure_kind::exactly_once: return "exactly-once violation";
        case failure_kind::hang: return "deadlock/hang";
        case failure_kind::crash: return "crash or sanitizer report";
    }
    return "unknown";
}

reproducer::reproducer(std::filesystem::path folder, const stress_config& config, std::string replay_command)
    : folder_(std::move(folder)), config_(config), replay_(std::move(replay_command)) {
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    write_text(folder_ / "config.json", to_json(config_, "running"));
    note_written = false;
    armed_note = new death_note{
        (folder_ / "failure.txt").string(),
        "crash or sanitizer report: the process died during this run (the report is on standard error)\n"
        "replay: " + replay_ + "\n",
        (folder_ / "config.json").string(), to_json(config_, "died"),
        "\nringcheck-stress: the run died; reproducer: " + folder_.string() + "\n  replay: " + replay_ + "\n"};
}

reproducer::~reproducer() {
    delete armed_note;
    armed_note = nullptr;
}

void reproducer::discard() {
    delete armed_note;
    armed_note = nullptr;
    std::filesystem::remove_all(folder_);
    std::error_code ignored;
    std::filesystem::remove(folder_.parent_path(), ignored);  // --out DIR too, if nothing else is in it
}

void reproducer::keep_undecided(const stress_result& r) {
    note_written = true;  // the run ended by itself: no death note
    delete armed_note;
    armed_note = nullptr;
    write_text(folder_ / "config.json", to_json(config_, "undecided"));
    {
        std::ofstream out(folder_ / "undecided-history.txt");
        oracle::write_history(out, r.history);
    }
    write_text(folder_ / "undecided.txt",
               "undecided: " + r.verdict.rule + "\nhistory: undecided-history.txt (" +
                   std::to_string(r.history.ops.size()) + " operations); judge it again with ringcheck-lincheck "
                   "and a larger --budget-steps/--budget-seconds\nreplay: " + replay_ + "\n");
}

void reproducer::note_hang(const std::string& why) {
    if (armed_note != nullptr) {
        armed_note->failure_text = why + "\nreplay: " + replay_ + "\n";
        armed_note->config_text = to_json(config_, "failed");
        armed_note->console_text = "\nringcheck-stress: FAILED " + why + "\n  reproducer: " + folder_.string() +
                                   "\n  replay: " + replay_ + "\n";
    }
    write_death_note();
}

void reproducer::complete(const stress_result& r) {
    note_written = true;  // the run ended by itself: no death note
    write_text(folder_ / "config.json", to_json(config_, "failed"));
    {
        std::ofstream out(folder_ / "history.txt");
        oracle::write_history(out, r.history);
    }
    std::ostringstream failure;
    failure << to_string(r.failure) << ": " << r.message << "\n";
    if (!r.delivery_report.empty()) failure << "\nexactly-once check:\n" << r.delivery_report;
    failure << "\nrecorded " << r.history.ops.size() << " operations (" << r.unrecorded
            << " failed pushes overlapping a close left out); " << r.pushed << " values pushed, " << r.popped
            << " popped; contract " << oracle::to_string(r.contract) << "\nreplay: " << replay_ << "\n";
    write_text(folder_ / "failure.txt", failure.str());
    if (!r.verdict.violated()) return;
    const oracle::history shrunk = oracle::shrink(r.history, r.contract);
    const oracle::verdict why = oracle::check(shrunk, r.contract);
    {
        std::ofstream out(folder_ / "counterexample-history.txt");
        oracle::write_history(out, shrunk);
    }
    std::ofstream text(folder_ / "counterexample.txt");
    oracle::print_timeline(text, shrunk, why);
    std::ofstream svg(folder_ / "counterexample.svg");
    oracle::write_svg(svg, shrunk, why);
}

void install_death_notes() {
#if defined(RINGCHECK_STRESS_SANITIZED)
    __sanitizer_set_death_callback(write_death_note);
#else
    for (const int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(s, on_fatal_signal);
#endif
}

bool leaked_since_last_check() {
#if defined(RINGCHECK_STRESS_ASAN)
    return __lsan_do_recoverable_leak_check() != 0;
#else
    return false;
#endif
}

}  // namespace ringcheck::stress
