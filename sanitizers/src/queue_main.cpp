// ringcheck stress: the main of a one-queue runner (see queue_main.hpp).
#include "ringcheck/stress/queue_main.hpp"

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace ringcheck::stress {
namespace {

constexpr unsigned default_threads = 2;  // for a queue that allows any number: two cores here

bool given(const std::vector<std::string>& args, std::string_view option) {
    for (const auto& a : args) {
        if (a == option || (a.starts_with(option) && a.size() > option.size() && a[option.size()] == '=')) return true;
    }
    return false;
}

std::string json_text(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    return out + "\"";
}

void describe(const queue_entry& q) {
    std::cout << "{\"name\": " << json_text(q.name) << ", \"queue\": " << json_text(q.queue)
              << ", \"contract\": " << json_text(q.contract) << ", \"max_producers\": " << q.max_producers
              << ", \"max_consumers\": " << q.max_consumers << ", \"blocking\": " << (q.blocking ? "true" : "false")
              << ", \"perturbable\": " << (q.run_perturbed ? "true" : "false") << "}\n";
}

}  // namespace

int queue_main(int argc, char** argv, const registry& queues) {
    if (queues.entries().size() != 1) {
        std::cerr << "ringcheck-stress: queue_main needs a registry of exactly one queue, this one has "
                  << queues.entries().size() << "\n";
        return 2;
    }
    const queue_entry& q = queues.entries().front();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (given(args, "--describe-queue")) {
        describe(q);
        return 0;
    }
    std::vector<std::string> full{argc > 0 ? argv[0] : "ringcheck-stress"};
    // A replay takes everything from its reproducer; help and listing take nothing.
    if (!given(args, "--replay") && !given(args, "--help") && !given(args, "-h") && !given(args, "--list")) {
        if (!given(args, "--ring")) full.insert(full.end(), {"--ring", q.name});
        if (!given(args, "--producers")) {
            full.insert(full.end(), {"--producers", std::to_string(q.max_producers ? q.max_producers : default_threads)});
        }
        if (!given(args, "--consumers")) {
            full.insert(full.end(), {"--consumers", std::to_string(q.max_consumers ? q.max_consumers : default_threads)});
        }
    }
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> pointers;
    for (auto& a : full) pointers.push_back(a.data());
    pointers.push_back(nullptr);
    return stress_main(static_cast<int>(full.size()), pointers.data(), queues);
}

}  // namespace ringcheck::stress
