// ringcheck fuzz: the replay driver linked into every harness when libFuzzer is not used (any
// compiler). It feeds every file named, and every file under every folder named, to the harness's
// LLVMFuzzerTestOneInput, in sorted order. Arguments starting with '-' (libFuzzer flags) are ignored,
// so a libFuzzer command line replays unchanged.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

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

}  // namespace

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    int named = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.starts_with("-")) continue;
        ++named;
        if (!collect(arg, files)) {
            std::fprintf(stderr, "error: %s: no such file or folder\n", arg.c_str());
            return 2;
        }
    }
    if (named == 0) {
        std::fprintf(stderr, "usage: %s FILE_OR_FOLDER... (replays each input through the harness)\n", argv[0]);
        return 2;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const std::vector<std::uint8_t> bytes = read_all(file);
        std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), bytes.size());
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    }
    std::fprintf(stderr, "replayed %zu inputs, no failure\n", files.size());
    return 0;
}
