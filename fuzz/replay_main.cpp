// ringcheck fuzz: the replay driver linked into every harness when libFuzzer is not used (any
// compiler). It feeds every file named, and every file under every folder named, to the harness's
// LLVMFuzzerTestOneInput, in sorted order. Other arguments starting with '-' (libFuzzer flags) are
// ignored, so a libFuzzer command line replays unchanged, except these three:
//   -runs=N (N > 0)       then also runs N random inputs (1 to 64 bytes), a bounded exploration
//   -seed=S               where libFuzzer is not available; the same S gives the same inputs (default 1)
//   -artifact_prefix=P    each random input is first written to P + "random-input"; on a failure
//                         the driver names that file as libFuzzer does ("Test unit written to ...")
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// The sanitizers' hook for a report that ends the process (absent without a sanitizer).
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

bool collect(const fs::path& path, std::vector<fs::path>& files) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
        files.push_back(path);
        return true;
    }
    if (!fs::is_directory(path, ec)) return false;
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    return !ec;
}

std::vector<std::uint8_t> read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct random_plan {
    std::uint64_t runs = 0, seed = 1;
    std::string artifact_prefix = "./";
};

/// The value of `-name=` in `arg`, if it is that flag.
const char* flag_value(const std::string& arg, const char* name) {
    const std::size_t n = std::strlen(name);
    return arg.compare(0, n, name) == 0 ? arg.c_str() + n : nullptr;
}

bool parse_count(const char* flag, const char* text, std::uint64_t& out) {
    char* end = nullptr;
    errno = 0;
    out = std::strtoull(text, &end, 10);
    if (*text >= '0' && *text <= '9' && *end == '\0' && errno == 0) return true;
    std::fprintf(stderr, "error: %s%s: needs a non-negative integer\n", flag, text);
    return false;
}

// What a failing random input prints, prepared before it runs (a signal handler only writes it).
char failure_note[4096];
std::size_t failure_note_length = 0;

void print_failure_note() {
    if (failure_note_length != 0) (void)!::write(2, failure_note, failure_note_length);
}

extern "C" void on_abort(int) {
    print_failure_note();
    std::signal(SIGABRT, SIG_DFL);
    std::raise(SIGABRT);
}

int run_random(const random_plan& plan) {
    const std::string path = plan.artifact_prefix + "random-input";
    failure_note_length = static_cast<std::size_t>(
        std::snprintf(failure_note, sizeof failure_note, "Test unit written to %s\n", path.c_str()));
    failure_note_length = std::min(failure_note_length, sizeof failure_note - 1);
    std::signal(SIGABRT, on_abort);
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(print_failure_note);
    std::mt19937_64 rng(plan.seed);
    std::vector<std::uint8_t> bytes;
    for (std::uint64_t k = 0; k < plan.runs; ++k) {
        bytes.resize(1 + rng() % 64);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                    static_cast<std::streamsize>(bytes.size()));
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    }
    failure_note_length = 0;
    std::remove(path.c_str());
    std::fprintf(stderr, "ran %llu random inputs (seed %llu), no failure\n",
                 static_cast<unsigned long long>(plan.runs), static_cast<unsigned long long>(plan.seed));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    random_plan plan;
    int named = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (const char* v = flag_value(arg, "-runs=")) {
            if (!parse_count("-runs=", v, plan.runs)) return 2;
        } else if (const char* v = flag_value(arg, "-seed=")) {
            if (!parse_count("-seed=", v, plan.seed)) return 2;
        } else if (const char* v = flag_value(arg, "-artifact_prefix=")) {
            plan.artifact_prefix = v;
        } else if (!arg.starts_with("-")) {
            ++named;
            if (!collect(arg, files)) {
                std::fprintf(stderr, "error: %s: no such file or folder\n", arg.c_str());
                return 2;
            }
        }
    }
    if (named == 0 && plan.runs == 0) {
        std::fprintf(stderr, "usage: %s [-runs=N -seed=S -artifact_prefix=P] FILE_OR_FOLDER... "
                     "(replays each input through the harness, then N random inputs)\n", argv[0]);
        return 2;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const std::vector<std::uint8_t> bytes = read_all(file);
        std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), bytes.size());
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    }
    if (named != 0) std::fprintf(stderr, "replayed %zu inputs, no failure\n", files.size());
    return plan.runs == 0 ? 0 : run_random(plan);
}
