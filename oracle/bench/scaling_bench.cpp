// ringcheck-scaling-bench: how check() scales, per history size and shape, over
// many seeds, with the worst case shown next to the typical one. Every history
// runs under a budget (undecided is counted, never waited for). A verdict that
// contradicts the construction (a linearizable history judged a violation, or
// a planted violation judged to hold) is an error: exit 1.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/generator.hpp"
#include "ringcheck/oracle/history.hpp"

namespace {

using namespace ringcheck::oracle;

constexpr const char* usage =
    "usage: ringcheck-scaling-bench [--sizes N,N,...] [--seeds K] [--first-seed S] [--shapes random,adversarial,busy]\n"
    "                               [--variants holds,violation] [--threads T] [--capacity C]\n"
    "                               [--budget-seconds S] [--budget-steps N] [--jobs J] [--csv FILE]\n"
    "Generates K histories per size, shape and variant (seeds S..S+K-1) and times check() on each.\n"
    "Defaults: sizes 1000,10000,100000,1000000; 20 seeds from 1; shapes random and adversarial; both\n"
    "variants; 8 threads; capacity 64; budget 10 s per history (and the checker's default step budget);\n"
    "the checker on 1 thread (--jobs: its portfolio on J threads, check_budget::jobs).\n"
    "Shape busy (no instant without an op open) draws its threads (4-16), latency tail (Pareto exponent\n"
    "1.1-2.0), tick (1-8) and closes from the seed, and ignores --threads.\n"
    "Variant holds: linearizable by construction. Variant violation: the same history with two\n"
    "popped values swapped across real-time-ordered pushes and pops (a violation by construction).\n"
    "Prints one row per size, shape and variant: decided, undecided, wrong, median and max seconds.\n"
    "exit: 0 every verdict agrees with the construction, 1 some verdict is wrong, 2 bad options\n";

struct options {
    std::vector<std::uint64_t> sizes{1000, 10000, 100000, 1000000};
    std::uint64_t seeds = 20, first_seed = 1, threads = 8, capacity = 64;
    std::vector<std::string> shapes{"random", "adversarial"}, variants{"holds", "violation"};
    check_budget budget{check_budget::default_steps, 10};
    std::string csv;
};

struct bad_option {
    std::string message;
};

std::uint64_t whole(const std::string& name, const std::string& v) {
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
        throw bad_option{name + ": '" + v + "' is not a positive whole number"};
    errno = 0;
    const unsigned long long n = std::strtoull(v.c_str(), nullptr, 10);
    if (errno == ERANGE || n == 0) throw bad_option{name + ": '" + v + "' is not a positive whole number below 2^64"};
    return n;
}

std::vector<std::string> split(const std::string& v) {
    std::vector<std::string> out;
    std::stringstream in(v);
    for (std::string part; std::getline(in, part, ',');) out.push_back(part);
    return out;
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << usage;
            std::exit(0);
        }
        if (i + 1 >= argc) throw bad_option{"unknown option or missing value: '" + a + "' (try --help)"};
        std::string v = argv[++i];
        if (a == "--sizes") {
            o.sizes.clear();
            for (auto& s : split(v)) o.sizes.push_back(whole(a, s));
            if (o.sizes.empty()) throw bad_option{"--sizes: no size given"};
        } else if (a == "--seeds") {
            o.seeds = whole(a, v);
        } else if (a == "--first-seed") {
            o.first_seed = whole(a, v);
        } else if (a == "--threads") {
            o.threads = whole(a, v);
            if (o.threads > 1024) throw bad_option{"--threads: at most 1024"};
        } else if (a == "--capacity") {
            o.capacity = whole(a, v);
        } else if (a == "--budget-steps") {
            o.budget.steps = whole(a, v);
        } else if (a == "--budget-seconds") {
            char* end = nullptr;
            double s = std::strtod(v.c_str(), &end);
            if (v.empty() || v.find_first_not_of("0123456789.eE+-") != std::string::npos || *end != '\0' ||
                !std::isfinite(s) || !(s > 0) || s > 1e9)
                throw bad_option{"--budget-seconds: '" + v + "' is not a positive finite number of seconds"};
            o.budget.seconds = s;
        } else if (a == "--shapes") {
            o.shapes = split(v);
            for (auto& s : o.shapes)
                if (s != "random" && s != "adversarial" && s != "busy")
                    throw bad_option{"--shapes: unknown shape '" + s + "'"};
        } else if (a == "--variants") {
            o.variants = split(v);
            for (auto& s : o.variants)
                if (s != "holds" && s != "violation") throw bad_option{"--variants: unknown variant '" + s + "'"};
        } else if (a == "--jobs") {
            const std::uint64_t j = whole(a, v);
            if (j > 64) throw bad_option{"--jobs: at most 64"};
            o.budget.jobs = static_cast<unsigned>(j);
        } else if (a == "--csv") {
            o.csv = v;
        } else {
            throw bad_option{"unknown option '" + a + "' (try --help)"};
        }
    }
    return o;
}

history make(const options& o, const std::string& shape, std::uint64_t size, std::uint64_t seed) {
    if (shape == "adversarial") {
        adversarial_options a;
        a.threads = static_cast<std::uint32_t>(o.threads), a.ops = size, a.capacity = o.capacity, a.seed = seed;
        return generate_adversarial(a);
    }
    if (shape == "busy") {
        std::mt19937_64 rng(seed * 31 + 7);
        busy_options b;
        b.ops = size, b.capacity = o.capacity, b.seed = seed;
        b.threads = 4 + static_cast<std::uint32_t>(rng() % 13);
        b.tail = 1.1 + static_cast<double>(rng() % 10) / 10;
        b.tick = 1 + rng() % 8;
        b.closes = rng() % 2 == 0;
        return generate_busy(b);
    }
    generator_options g;  // the existing shape: every thread pushes and pops, all op kinds, closes
    g.threads = static_cast<std::uint32_t>(o.threads), g.ops = size, g.capacity = o.capacity, g.seed = seed;
    g.roles = false, g.blocking = true, g.closes = true;
    return generate_history(g);
}

std::string seconds(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(s < 0.1 ? 4 : s < 10 ? 3 : 1) << s;
    return out.str();
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    try {
        o = parse(argc, argv);
    } catch (const bad_option& e) {
        std::cerr << "ringcheck-scaling-bench: error: " << e.message << "\n";
        return 2;
    }
    std::ofstream csv;
    if (!o.csv.empty()) {
        csv.open(o.csv);
        if (!csv) {
            std::cerr << "ringcheck-scaling-bench: error: cannot write '" << o.csv << "'\n";
            return 2;
        }
        csv << "shape,variant,size,seed,verdict,seconds,steps_if_undecided\n";
    }
    std::cout << "budget per history: " << o.budget.seconds << " s, " << o.budget.steps << " search steps; "
              << o.threads << " threads, capacity " << o.capacity << ", seeds " << o.first_seed << ".."
              << o.first_seed + o.seeds - 1 << "; checker on " << o.budget.jobs << (o.budget.jobs == 1 ? " thread\n" : " threads\n");
    std::cout << std::left << std::setw(12) << "shape" << std::setw(10) << "variant" << std::setw(9) << "ops"
              << std::setw(9) << "decided" << std::setw(10) << "undecided" << std::setw(7) << "wrong"
              << std::setw(10) << "median s" << std::setw(10) << "max s" << std::setw(10) << "max seed"
              << "no pair\n";
    bool any_wrong = false;
    for (auto size : o.sizes) {
        for (const auto& shape : o.shapes) {
            for (const auto& variant : o.variants) {
                std::vector<double> times;
                std::size_t decided = 0, undecided = 0, wrong = 0, no_pair = 0;
                std::uint64_t worst_seed = 0;
                double worst = -1;
                for (std::uint64_t seed = o.first_seed; seed < o.first_seed + o.seeds; ++seed) {
                    history h = make(o, shape, size, seed);
                    if (variant == "violation") {
                        std::mt19937_64 rng(seed * 7919 + 1);
                        if (!inject_fifo_violation(h, rng)) {  // too few ordered pops to plant one
                            ++no_pair;
                            continue;
                        }
                    }
                    const auto start = std::chrono::steady_clock::now();
                    verdict v = check(h, contract::linearizable, o.budget);
                    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                    times.push_back(s);
                    if (s > worst) worst = s, worst_seed = seed;
                    if (v.undecided()) {
                        ++undecided;
                    } else {
                        ++decided;
                        if (v.holds() != (variant == "holds")) {
                            ++wrong;
                            std::cerr << "WRONG verdict: " << shape << " " << variant << " size " << size << " seed "
                                      << seed << ": " << to_string(v.result) << " " << v.rule << "\n";
                        }
                    }
                    if (csv) csv << shape << "," << variant << "," << size << "," << seed << "," << to_string(v.result)
                                 << "," << s << "," << v.steps << "\n";
                }
                any_wrong = any_wrong || wrong > 0;
                std::sort(times.begin(), times.end());
                double median = times.empty() ? 0
                                : times.size() % 2 ? times[times.size() / 2]
                                                   : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
                std::cout << std::left << std::setw(12) << shape << std::setw(10) << variant << std::setw(9) << size
                          << std::setw(9) << decided << std::setw(10) << undecided << std::setw(7) << wrong
                          << std::setw(10) << seconds(median) << std::setw(10) << seconds(times.empty() ? 0 : worst)
                          << std::setw(10) << worst_seed << no_pair << std::endl;
            }
        }
    }
    return any_wrong ? 1 : 0;
}
