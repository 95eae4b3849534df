#include "ringcheck/oracle/history.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <istream>
#include <limits>
#include <ostream>
#include <sstream>
#include <unordered_map>

namespace ringcheck::oracle {

namespace {

constexpr std::array<std::string_view, 7> op_names{"try_push", "push", "try_push_for", "try_pop",
                                                   "pop",      "try_pop_for", "close"};
constexpr std::array<std::string_view, 6> result_names{"ok", "full", "closed", "timeout", "value", "empty"};

std::optional<result_kind> parse_result_word(std::string_view s) {
    for (std::size_t i = 0; i < result_names.size(); ++i)
        if (s == result_names[i] && s != "value") return static_cast<result_kind>(i);
    return std::nullopt;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Strict unsigned decimal; the error text says what is wrong with `field`.
std::variant<std::uint64_t, std::string> parse_u64(std::string_view s, std::string_view field) {
    if (!all_digits(s))
        return std::string(field) + " '" + std::string(s) + "' is not an unsigned integer";
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range)
        return std::string(field) + " " + std::string(s) + " does not fit in 64 bits";
    if (ec != std::errc{} || p != s.data() + s.size())
        return std::string(field) + " '" + std::string(s) + "' is not an unsigned integer";
    return v;
}

// A line's fields: the first seven are kept (an op line has six; a seventh is
// trailing junk), so splitting a line allocates nothing.
class fields_of_line {
public:
    explicit fields_of_line(std::string_view line) {
        std::size_t i = 0;
        while (i < line.size() && count_ < kept.size()) {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
            std::size_t j = i;
            while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
            if (j > i) kept[count_++] = line.substr(i, j - i);
            i = j;
        }
    }
    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    std::string_view operator[](std::size_t i) const { return kept[i]; }

private:
    std::array<std::string_view, 7> kept;
    std::size_t count_ = 0;
};

std::string_view strip_comment(std::string_view line) {
    auto hash = line.find('#');
    return hash == std::string_view::npos ? line : line.substr(0, hash);
}

std::optional<std::string> parse_header(const fields_of_line& f, std::size_t& capacity) {
    if (f[0] != "ringcheck-history")
        return "expected header 'ringcheck-history 1 capacity=<C>', got '" + std::string(f[0]) + "'";
    if (f.size() < 2) return "header: missing version";
    if (f[1] != "1") return "header: unsupported version '" + std::string(f[1]) + "' (expected 1)";
    if (f.size() < 3) return "header: missing capacity=<C>";
    if (f[2].substr(0, 9) != "capacity=") return "header: expected capacity=<C>, got '" + std::string(f[2]) + "'";
    if (f.size() > 3) return "header: trailing junk '" + std::string(f[3]) + "'";
    auto c = parse_u64(f[2].substr(9), "capacity");
    if (auto* e = std::get_if<std::string>(&c)) return "header: " + *e;
    std::uint64_t cap = std::get<std::uint64_t>(c);
    if (cap == 0) return "header: capacity must be at least 1";
    if (cap > std::numeric_limits<std::size_t>::max()) return "header: capacity too large";
    capacity = static_cast<std::size_t>(cap);
    return std::nullopt;
}

constexpr std::array<std::string_view, 6> field_names{"thread", "op", "arg", "result", "invoke", "response"};

std::optional<std::string> parse_result(std::string_view s, operation& o) {
    if (auto w = parse_result_word(s)) {
        o.result = *w;
    } else if (is_pop(o.op) && all_digits(s)) {
        auto v = parse_u64(s, "popped value");
        if (auto* e = std::get_if<std::string>(&v)) return *e;
        o.result = result_kind::value;
        o.value = std::get<std::uint64_t>(v);
    } else {
        return "unknown result '" + std::string(s) + "'";
    }
    if (!result_allowed(o.op, o.result))
        return "result '" + std::string(s) + "' is not legal for " + std::string(to_string(o.op));
    return std::nullopt;
}

std::optional<std::string> parse_op_line(const fields_of_line& f, operation& o) {
    if (f.size() < 6) return "missing field <" + std::string(field_names[f.size()]) + ">";
    if (f.size() > 6) return "trailing junk '" + std::string(f[6]) + "'";
    auto t = parse_u64(f[0], "thread");
    if (auto* e = std::get_if<std::string>(&t)) return *e;
    if (std::get<std::uint64_t>(t) > std::numeric_limits<std::uint32_t>::max())
        return "thread " + std::string(f[0]) + " is too large (max 4294967295)";
    o.thread = static_cast<std::uint32_t>(std::get<std::uint64_t>(t));
    auto k = parse_op_kind(f[1]);
    if (!k) return "unknown op '" + std::string(f[1]) + "'";
    o.op = *k;
    if (is_push(o.op)) {
        auto a = parse_u64(f[2], "arg");
        if (auto* e = std::get_if<std::string>(&a)) return *e;
        o.arg = std::get<std::uint64_t>(a);
    } else if (f[2] != "-") {
        return "arg of " + std::string(f[1]) + " must be '-', got '" + std::string(f[2]) + "'";
    }
    if (auto e = parse_result(f[3], o)) return e;
    auto inv = parse_u64(f[4], "invoke");
    if (auto* e = std::get_if<std::string>(&inv)) return *e;
    auto res = parse_u64(f[5], "response");
    if (auto* e = std::get_if<std::string>(&res)) return *e;
    o.invoke = std::get<std::uint64_t>(inv);
    o.response = std::get<std::uint64_t>(res);
    if (o.invoke >= o.response)
        return "invoke " + std::to_string(o.invoke) + " must be less than response " + std::to_string(o.response);
    return std::nullopt;
}

std::optional<parse_error> check_op(const operation& o, std::size_t line) {
    if (!result_allowed(o.op, o.result))
        return parse_error{line, "result '" + result_text(o) + "' is not legal for " + std::string(to_string(o.op))};
    if (o.invoke >= o.response)
        return parse_error{line, "invoke " + std::to_string(o.invoke) + " must be less than response " +
                                     std::to_string(o.response)};
    return std::nullopt;
}

// Cross-operation rules: unique pushed values, no overlap within a thread.
std::optional<parse_error> check_cross(const history& h, const std::vector<std::size_t>& lines) {
    std::unordered_map<std::uint64_t, std::size_t> pushed;
    pushed.reserve(h.ops.size());
    std::optional<parse_error> first;
    auto note = [&](parse_error e) {
        if (!first || e.line < first->line) first = std::move(e);
    };
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        if (!is_push(h.ops[i].op)) continue;
        auto [it, fresh] = pushed.emplace(h.ops[i].arg, i);
        if (!fresh) {
            note({lines[i], "value " + std::to_string(h.ops[i].arg) + " is pushed again (first pushed on line " +
                                std::to_string(lines[it->second]) + "); pushed values must be unique"});
        }
    }
    // Sorted by thread, invoke, index; the keys are copied so that sorting reads no op.
    struct by_thread {
        std::uint32_t thread, index;
        std::uint64_t invoke;
        bool operator<(const by_thread& o) const {
            return thread != o.thread ? thread < o.thread : invoke != o.invoke ? invoke < o.invoke : index < o.index;
        }
    };
    std::vector<by_thread> order(h.ops.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = {h.ops[i].thread, static_cast<std::uint32_t>(i), h.ops[i].invoke};
    std::sort(order.begin(), order.end());
    auto idx = [&](std::size_t j) { return std::size_t{order[j].index}; };
    for (std::size_t j = 1; j < order.size(); ++j) {
        const auto &p = h.ops[idx(j - 1)], &q = h.ops[idx(j)];
        if (p.thread != q.thread || p.response < q.invoke) continue;
        std::size_t a = std::min(lines[idx(j - 1)], lines[idx(j)]), b = std::max(lines[idx(j - 1)], lines[idx(j)]);
        note({b, "operation of thread " + std::to_string(q.thread) + " overlaps its operation on line " +
                     std::to_string(a) + " (ops of one thread need response < next invoke)"});
    }
    return first;
}

}  // namespace

bool result_allowed(op_kind k, result_kind r) noexcept {
    switch (k) {
        case op_kind::try_push: return r == result_kind::ok || r == result_kind::full || r == result_kind::closed;
        case op_kind::push: return r == result_kind::ok || r == result_kind::closed;
        case op_kind::try_push_for:
            return r == result_kind::ok || r == result_kind::timeout || r == result_kind::closed;
        case op_kind::try_pop: return r == result_kind::value || r == result_kind::empty;
        case op_kind::pop: return r == result_kind::value || r == result_kind::closed;
        case op_kind::try_pop_for:
            return r == result_kind::value || r == result_kind::timeout || r == result_kind::closed;
        case op_kind::close: return r == result_kind::ok;
    }
    return false;
}

std::string_view to_string(op_kind k) noexcept { return op_names[static_cast<std::size_t>(k)]; }
std::string_view to_string(result_kind r) noexcept { return result_names[static_cast<std::size_t>(r)]; }

std::optional<op_kind> parse_op_kind(std::string_view s) noexcept {
    for (std::size_t i = 0; i < op_names.size(); ++i)
        if (s == op_names[i]) return static_cast<op_kind>(i);
    return std::nullopt;
}

std::string result_text(const operation& o) {
    return o.result == result_kind::value ? std::to_string(o.value) : std::string(to_string(o.result));
}

std::string describe(const operation& o) {
    std::string s(to_string(o.op));
    if (is_push(o.op)) {
        s += ' ';
        s += std::to_string(o.arg);
    }
    s += " -> ";
    s += result_text(o);
    return s;
}

std::variant<history, parse_error> parse_history_text(std::string_view text) {
    history h;
    std::vector<std::size_t> lines;
    bool have_header = false;
    std::size_t line_no = 0;
    const auto line_count = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    h.ops.reserve(line_count), lines.reserve(line_count);  // about one op per line
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        ++line_no;
        const fields_of_line fields(strip_comment(text.substr(pos, nl - pos)));
        pos = nl + 1;
        if (fields.empty()) continue;
        if (!have_header) {
            if (auto e = parse_header(fields, h.capacity)) return parse_error{line_no, *e};
            have_header = true;
            continue;
        }
        operation o;
        if (auto e = parse_op_line(fields, o)) return parse_error{line_no, *e};
        h.ops.push_back(o);
        lines.push_back(line_no);
    }
    if (!have_header) return parse_error{line_no == 0 ? 1 : line_no, "missing header 'ringcheck-history 1 capacity=<C>'"};
    if (auto e = check_cross(h, lines)) return *e;
    return h;
}

std::variant<history, parse_error> parse_history(std::istream& in) {
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return parse_error{0, "read error"};
    if (text.find('\0') != std::string::npos) {
        std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find('\0')), '\n'));
        return parse_error{line, "binary data (NUL byte) in history"};
    }
    return parse_history_text(text);
}

void write_history(std::ostream& out, const history& h) {
    std::string buf = "ringcheck-history 1 capacity=" + std::to_string(h.capacity) + "\n";
    for (const auto& o : h.ops) {
        buf += std::to_string(o.thread);
        buf += ' ';
        buf += to_string(o.op);
        buf += ' ';
        buf += is_push(o.op) ? std::to_string(o.arg) : "-";
        buf += ' ';
        buf += result_text(o);
        buf += ' ';
        buf += std::to_string(o.invoke);
        buf += ' ';
        buf += std::to_string(o.response);
        buf += '\n';
        if (buf.size() > (1 << 16)) {
            out << buf;
            buf.clear();
        }
    }
    out << buf;
}

std::optional<parse_error> validate(const history& h) {
    if (h.capacity == 0) return parse_error{0, "capacity must be at least 1"};
    std::vector<std::size_t> lines(h.ops.size());
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        lines[i] = i + 1;
        if (auto e = check_op(h.ops[i], i + 1)) return e;
    }
    return check_cross(h, lines);
}

}  // namespace ringcheck::oracle
