// ringcheck-histgen: random queue histories for speed and CLI tests.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/generator.hpp"
#include "ringcheck/oracle/history.hpp"

namespace {

constexpr const char* usage =
    "usage: ringcheck-histgen [--shape random|adversarial] [--threads N] [--ops N] [--capacity C] [--seed S]\n"
    "                         [--latency L] [--closes] [--any-role] [--try-only] [--violation[=KIND]]\n"
    "                         [--tick T] [--no-closes] [-o FILE]\n"
    "Writes a random linearizable history (a reference queue simulated under random\n"
    "intervals), or with --violation one that is not.\n"
    "--shape random (default): --violation mutates it until the checker rejects it;\n"
    "  KIND: any (default), swap, duplicate, full, empty, closed, timeout, drop, shift.\n"
    "  Defaults: 8 threads (half producers), 1000 ops, capacity 64, seed 1, latency 40.\n"
    "--shape adversarial: mixed roles, phases held at full and at empty, heavy overlap,\n"
    "  times rounded to --tick T (ties; default 4), blocking and timed ops, two closes late\n"
    "  in the run (--no-closes: none); --violation swaps two popped values whose pushes and\n"
    "  pops are both ordered in real time (a FIFO violation by construction; only KIND swap).\n"
    "  Defaults: 8 threads, 1000 ops, capacity 64, seed 1, latency 64.\n";

const std::map<std::string, ringcheck::oracle::mutation> kinds{
    {"any", ringcheck::oracle::mutation::any},         {"swap", ringcheck::oracle::mutation::swap_values},
    {"duplicate", ringcheck::oracle::mutation::duplicate_value}, {"full", ringcheck::oracle::mutation::to_full},
    {"empty", ringcheck::oracle::mutation::to_empty},  {"closed", ringcheck::oracle::mutation::to_closed},
    {"timeout", ringcheck::oracle::mutation::to_timeout}, {"drop", ringcheck::oracle::mutation::drop},
    {"shift", ringcheck::oracle::mutation::shift}};

int fail(const std::string& msg) {
    std::cerr << "ringcheck-histgen: error: " << msg << "\n";
    return 2;
}

bool number(const std::string& s, std::uint64_t& v) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19) return false;
    v = std::stoull(s);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ringcheck::oracle;
    generator_options g;
    adversarial_options adv;
    bool adversarial = false, latency_given = false, tick_given = false;
    std::string out_file;
    bool violate = false;
    mutation kind = mutation::any;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](std::uint64_t& v) {
            if (i + 1 >= argc || !number(argv[i + 1], v)) return false;
            ++i;
            return true;
        };
        std::uint64_t v = 0;
        if (a == "--help" || a == "-h") return std::cout << usage, 0;
        else if (a == "--threads" && value(v) && v > 0 && v < 100000) g.threads = static_cast<std::uint32_t>(v);
        else if (a == "--ops" && value(v)) g.ops = v;
        else if (a == "--capacity" && value(v) && v > 0) g.capacity = v;
        else if (a == "--seed" && value(v)) g.seed = v;
        else if (a == "--latency" && value(v) && v > 1) g.max_latency = v, latency_given = true;
        else if (a == "--tick" && value(v) && v > 0 && v < (std::uint64_t{1} << 32)) adv.tick = v, tick_given = true;
        else if (a == "--shape" && i + 1 < argc && std::string(argv[i + 1]) == "random") ++i, adversarial = false;
        else if (a == "--shape" && i + 1 < argc && std::string(argv[i + 1]) == "adversarial") ++i, adversarial = true;
        else if (a == "--closes") g.closes = true;
        else if (a == "--no-closes") adv.closes = false;
        else if (a == "--any-role") g.roles = false;
        else if (a == "--try-only") g.blocking = false;
        else if (a == "--violation") violate = true;
        else if (a.rfind("--violation=", 0) == 0 && kinds.count(a.substr(12))) violate = true, kind = kinds.at(a.substr(12));
        else if (a == "-o" && i + 1 < argc) out_file = argv[++i];
        else return fail("bad option or value near '" + a + "' (try --help)");
    }
    if (!adversarial && (tick_given || !adv.closes)) return fail("--tick and --no-closes need --shape adversarial");
    history h;
    if (adversarial) {
        if (kind != mutation::any && kind != mutation::swap_values)
            return fail("--shape adversarial makes only swap violations (--violation or --violation=swap)");
        adv.threads = g.threads, adv.ops = g.ops, adv.capacity = g.capacity, adv.seed = g.seed;
        adv.blocking = g.blocking;
        if (latency_given) adv.max_latency = g.max_latency;
        h = generate_adversarial(adv);
        std::mt19937_64 rng(g.seed ^ 0x5eedULL);
        if (violate && !inject_fifo_violation(h, rng))
            return fail("could not inject a violation (too few ordered pops; try more --ops)");
    } else {
        h = generate_history(g);
    }
    if (violate && !adversarial) {
        std::mt19937_64 rng(g.seed ^ 0x5eedULL);
        history m = h;
        int tries = 0;
        while (!(mutate(m, kind, rng) && !validate(m) && check(m).violated())) {
            if (++tries > 200) return fail("could not inject a violation (try another seed or kind)");
            m = h;
        }
        h = std::move(m);
    }
    if (out_file.empty()) {
        write_history(std::cout, h);
        return std::cout ? 0 : 2;
    }
    std::ofstream f(out_file);
    write_history(f, h);
    if (!f) return fail("cannot write '" + out_file + "'");
    return 0;
}
