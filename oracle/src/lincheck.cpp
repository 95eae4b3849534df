// ringcheck-lincheck [--contract NAME] [--svg OUT.svg] [--budget-steps N] [--budget-seconds S] [--jobs N] FILE
#include "ringcheck/oracle/lincheck.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/counterexample.hpp"
#include "ringcheck/oracle/history.hpp"

namespace ringcheck::oracle {

namespace {

constexpr const char* usage =
    "usage: ringcheck-lincheck [--contract NAME] [--svg OUT.svg] [--budget-steps N] [--budget-seconds S]\n"
    "                          [--jobs N] FILE\n"
    "\n"
    "Checks a recorded queue history (format 'ringcheck-history 1 capacity=<C>',\n"
    "one '<thread> <op> <arg> <result> <invoke> <response>' per line; FILE '-' = stdin).\n"
    "\n"
    "  --contract NAME  linearizable (default), per-producer-fifo or bag\n"
    "  --svg OUT.svg    on a violation, also draw the counterexample as SVG\n"
    "  --budget-steps N    at most N steps of exact search (default 200000000)\n"
    "  --budget-seconds S  at most S seconds of exact search (default 60; fractions allowed)\n"
    "  --jobs N         threads the search's portfolio of move orders runs on (default: the\n"
    "                   machine's hardware threads; more than 8 are not used); the verdict\n"
    "                   does not depend on it, the steps spent and the time do\n"
    "  --help           this text\n"
    "\n"
    "exit status: 0 the history satisfies the contract, 1 violation (counterexample\n"
    "on stdout), 2 malformed or unreadable input, or bad options (one line on stderr),\n"
    "3 undecided: the budget ran out first (a line 'undecided: ...' names the window)\n";

struct options {
    contract c = contract::linearizable;
    std::string svg;
    std::string file;
    check_budget budget{check_budget::default_steps, check_budget::default_seconds,
                        std::max(1u, std::thread::hardware_concurrency())};
    bool help = false;
};

struct usage_error {
    std::string message;
};

// Value of --name VALUE or --name=VALUE; advances i.
std::string option_value(int argc, char** argv, int& i, const std::string& name) {
    std::string a = argv[i];
    if (a.size() > name.size() && a[name.size()] == '=') return a.substr(name.size() + 1);
    if (i + 1 >= argc) throw usage_error{"option " + name + " needs a value"};
    return argv[++i];
}

bool is_option(const std::string& a, const std::string& name) {
    return a == name || a.rfind(name + "=", 0) == 0;
}

// A positive whole number that fits in 64 bits: digits only. `what`: of what.
std::uint64_t parse_count(const std::string& option, const std::string& v, const std::string& what) {
    const std::string bad = option + ": '" + v + "' is not a positive whole number of " + what;
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) throw usage_error{bad};
    errno = 0;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (errno == ERANGE) throw usage_error{option + ": '" + v + "' does not fit in 64 bits"};
    if (*end != '\0' || n == 0) throw usage_error{bad};
    return n;
}

std::uint64_t parse_steps(const std::string& v) { return parse_count("--budget-steps", v, "search steps"); }

unsigned parse_jobs(const std::string& v) {
    const std::uint64_t n = parse_count("--jobs", v, "threads");
    if (n > 1024) throw usage_error{"--jobs: '" + v + "' is more than 1024 threads"};
    return static_cast<unsigned>(n);
}

// A positive, finite number of seconds (decimal, optional fraction/exponent).
double parse_seconds(const std::string& v) {
    const std::string what = "--budget-seconds: '" + v + "' is not a positive finite number of seconds";
    if (v.empty() || v.find_first_not_of("0123456789.eE+-") != std::string::npos) throw usage_error{what};  // no nan, inf, hex
    errno = 0;
    char* end = nullptr;
    const double s = std::strtod(v.c_str(), &end);
    if (*end != '\0' || end == v.c_str()) throw usage_error{what};
    if (errno == ERANGE && std::fabs(s) > 1) throw usage_error{"--budget-seconds: '" + v + "' is out of range"};
    if (!std::isfinite(s) || !(s > 0) || errno == ERANGE) throw usage_error{what};
    if (s > 1e9) throw usage_error{"--budget-seconds: '" + v + "' is more than 10^9 seconds"};
    return s;
}

options parse_options(int argc, char** argv) {
    options o;
    bool have_file = false, only_files = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (!only_files && (a == "--help" || a == "-h")) {
            o.help = true;
        } else if (!only_files && is_option(a, "--contract")) {
            auto v = option_value(argc, argv, i, "--contract");
            auto c = parse_contract(v);
            if (!c) throw usage_error{"unknown contract '" + v + "' (expected linearizable, per-producer-fifo or bag)"};
            o.c = *c;
        } else if (!only_files && is_option(a, "--svg")) {
            o.svg = option_value(argc, argv, i, "--svg");
            if (o.svg.empty()) throw usage_error{"option --svg needs a file name"};
        } else if (!only_files && is_option(a, "--budget-steps")) {
            o.budget.steps = parse_steps(option_value(argc, argv, i, "--budget-steps"));
        } else if (!only_files && is_option(a, "--budget-seconds")) {
            o.budget.seconds = parse_seconds(option_value(argc, argv, i, "--budget-seconds"));
        } else if (!only_files && is_option(a, "--jobs")) {
            o.budget.jobs = parse_jobs(option_value(argc, argv, i, "--jobs"));
        } else if (!only_files && a == "--") {
            only_files = true;
        } else if (!only_files && a.size() > 1 && a[0] == '-') {
            throw usage_error{"unknown option '" + a + "' (try --help)"};
        } else if (have_file) {
            throw usage_error{"unexpected argument '" + a + "': give exactly one FILE"};
        } else {
            o.file = a, have_file = true;
        }
    }
    if (!o.help && !have_file) throw usage_error{"missing FILE (use '-' for standard input; try --help)"};
    return o;
}

std::size_t thread_count(const history& h) {
    std::set<std::uint32_t> t;
    for (const auto& o : h.ops) t.insert(o.thread);
    return t.size();
}

int report_violation(const options& opt, const history& h, const verdict& whole, std::ostream& out,
                     std::ostream& err, const std::string& prog) {
    history small = shrink(h, opt.c);
    verdict v = check(small, opt.c);
    out << "VIOLATION: the history (" << h.ops.size() << " operations) is not " << to_string(opt.c) << ": "
        << whole.rule << "\n"
        << "counterexample: " << small.ops.size() << " of " << h.ops.size() << " operations\n";
    print_timeline(out, small, v);
    if (!opt.svg.empty()) {
        std::ofstream svg(opt.svg);
        if (svg) write_svg(svg, small, v);
        if (!svg) {
            err << prog << ": error: cannot write '" << opt.svg << "': " << std::strerror(errno) << "\n";
            return 2;
        }
        out << "picture: " << opt.svg << "\n";
    }
    return 1;
}

int run(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err, const std::string& prog) {
    options opt;
    try {
        opt = parse_options(argc, argv);
    } catch (const usage_error& e) {
        err << prog << ": error: " << e.message << "\n";
        return 2;
    }
    if (opt.help) {
        out << usage;
        return 0;
    }
    std::variant<history, parse_error> parsed;
    std::string name = opt.file == "-" ? "<stdin>" : opt.file;
    if (opt.file == "-") {
        parsed = parse_history(in);
    } else {
        std::ifstream f(opt.file, std::ios::binary);
        if (!f) {
            err << prog << ": error: cannot open '" << opt.file << "': " << std::strerror(errno) << "\n";
            return 2;
        }
        parsed = parse_history(f);
    }
    if (auto* e = std::get_if<parse_error>(&parsed)) {
        err << prog << ": error: " << name << ":" << e->line << ": " << e->message << "\n";
        return 2;
    }
    const history& h = std::get<history>(parsed);
    verdict v = check(h, opt.c, opt.budget);
    if (v.undecided()) {
        out << "undecided: " << v.rule << "\n"
            << "the history (" << h.ops.size() << " operations) is neither shown to hold nor to violate "
            << to_string(opt.c) << "; raise --budget-steps/--budget-seconds to search longer\n";
        return 3;
    }
    if (v.violated()) return report_violation(opt, h, v, out, err, prog);
    out << "ok: " << h.ops.size() << " operations of " << thread_count(h) << " threads, capacity " << h.capacity
        << ", contract " << to_string(opt.c) << " holds\n";
    return 0;
}

}  // namespace

int lincheck_main(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
    std::string prog = "ringcheck-lincheck";
    if (argc > 0 && argv[0]) {
        prog = argv[0];
        if (auto slash = prog.rfind('/'); slash != std::string::npos) prog = prog.substr(slash + 1);
    }
    try {
        return run(argc, argv, in, out, err, prog);
    } catch (const std::exception& e) {
        err << prog << ": error: " << e.what() << "\n";
    } catch (...) {
        err << prog << ": error: unexpected failure\n";
    }
    return 2;
}

int lincheck_main(int argc, char** argv) { return lincheck_main(argc, argv, std::cin, std::cout, std::cerr); }

}  // namespace ringcheck::oracle
