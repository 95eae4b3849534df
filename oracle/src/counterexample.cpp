// Shrinking, text timeline and SVG of a counterexample.
#include "ringcheck/oracle/counterexample.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <string>

#include "internal.hpp"

namespace ringcheck::oracle {

namespace {

bool same_violation(const history& h, contract c, rule_kind kind) {
    verdict v = check(h, c);
    return v.violated() && (kind == rule_kind::none || v.kind == kind);
}

history subset(const history& h, const std::vector<bool>& keep) {
    history r{h.capacity, {}};
    for (std::size_t i = 0; i < h.ops.size(); ++i)
        if (keep[i]) r.ops.push_back(h.ops[i]);
    return r;
}

// Ops near each witness op (`margin` on each side in invoke order) plus the
// other half (push or pop) of every value involved.
history window(const history& h, const verdict& v, std::size_t margin) {
    const auto links = detail::link_values(h);
    std::vector<std::size_t> order(h.ops.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return h.ops[a].invoke < h.ops[b].invoke; });
    std::vector<std::size_t> rank(h.ops.size());
    for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    std::vector<bool> keep(h.ops.size(), false);
    for (auto w : v.witness) {
        std::size_t lo = rank[w] > margin ? rank[w] - margin : 0;
        std::size_t hi = std::min(h.ops.size() - 1, rank[w] + margin);
        for (std::size_t r = lo; r <= hi; ++r) keep[order[r]] = true;
    }
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        if (!keep[i]) continue;
        if (links.push_of[i] != detail::none) keep[links.push_of[i]] = true;
        if (links.pop_of[i] != detail::none) keep[links.pop_of[i]] = true;
    }
    return subset(h, keep);
}

// Greedy delta debugging: drop chunks while the same rule stays violated.
history delta_debug(history cur, contract c, rule_kind kind, std::size_t budget) {
    for (std::size_t chunk = std::max<std::size_t>(cur.ops.size() / 2, 1); chunk >= 1 && budget > 0;) {
        bool removed = false;
        for (std::size_t i = 0; i < cur.ops.size() && budget > 0;) {
            history cand = cur;
            auto end = std::min(cand.ops.size(), i + chunk);
            cand.ops.erase(cand.ops.begin() + static_cast<std::ptrdiff_t>(i),
                           cand.ops.begin() + static_cast<std::ptrdiff_t>(end));
            --budget;
            if (same_violation(cand, c, kind)) cur = std::move(cand), removed = true;
            else i += chunk;
        }
        if (!removed) {
            if (chunk == 1) break;
            chunk /= 2;
        }
    }
    return cur;
}

// ---- layout shared by the text timeline and the SVG ----

struct layout {
    std::vector<std::uint32_t> threads;   // lanes, sorted
    std::vector<std::size_t> col_inv, col_res;
    std::vector<std::string> label;
    std::set<std::size_t> bad;
    std::size_t width = 0;
};

layout make_layout(const history& h, const verdict& v) {
    layout L;
    L.bad.insert(v.witness.begin(), v.witness.end());
    std::set<std::uint32_t> th;
    std::vector<std::uint64_t> times;
    for (const auto& o : h.ops) th.insert(o.thread), times.push_back(o.invoke), times.push_back(o.response);
    L.threads.assign(th.begin(), th.end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    auto rank = [&](std::uint64_t t) {
        return static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), t) - times.begin());
    };
    std::vector<std::size_t> inv_rank, res_rank;
    std::vector<std::vector<std::size_t>> ending(times.size());  // ops by response rank
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        L.label.push_back(describe(h.ops[i]));
        inv_rank.push_back(rank(h.ops[i].invoke));
        res_rank.push_back(rank(h.ops[i].response));
        ending[res_rank.back()].push_back(i);
    }
    std::vector<std::size_t> col(times.size(), 0);  // a bar is wide enough for its label
    for (std::size_t r = 0; r < times.size(); ++r) {
        col[r] = r == 0 ? 0 : col[r - 1] + 2;
        for (auto i : ending[r]) col[r] = std::max(col[r], col[inv_rank[i]] + L.label[i].size() + 3);
    }
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        L.col_inv.push_back(col[inv_rank[i]]);
        L.col_res.push_back(col[res_rank[i]]);
    }
    L.width = times.empty() ? 0 : col.back() + 1;
    return L;
}

std::string bar(const layout& L, std::size_t i) {
    std::size_t len = L.col_res[i] - L.col_inv[i] + 1;
    bool bad = L.bad.count(i) > 0;
    std::string s(1, '[');
    if (bad) s += '*';
    s += L.label[i];
    s.resize(len - 1, bad ? '#' : '-');
    s += ']';
    return s;
}

std::string xml_escape(const std::string& s) {
    std::string r;
    for (char c : s) {
        if (c == '<') r += "&lt;";
        else if (c == '>') r += "&gt;";
        else if (c == '&') r += "&amp;";
        else if (c == '"') r += "&quot;";
        else r += c;
    }
    return r;
}

}  // namespace

history shrink(const history& h, contract c) {
    verdict v = check(h, c);
    if (!v.violated()) return h;  // holds, or undecided: nothing to shrink towards
    history cur = h;
    if (h.ops.size() > 300) {
        for (std::size_t margin = 0;; margin = std::max<std::size_t>(16, margin * 2)) {
            history w = window(h, v, margin);
            if (same_violation(w, c, v.kind) || w.ops.size() == h.ops.size()) {
                cur = std::move(w);
                break;
            }
            if (margin > h.ops.size()) break;
        }
        if (cur.ops.size() > 5000) return cur;  // could not localise: keep it whole rather than spend minutes
    }
    return delta_debug(std::move(cur), c, v.kind, 20000);
}

void print_timeline(std::ostream& out, const history& h, const verdict& v) {
    if (v.violated()) out << "violated rule: " << v.rule << "\n";
    if (v.undecided()) out << "undecided: " << v.rule << "\n";
    layout L = make_layout(h, v);
    for (auto t : L.threads) {
        std::string lane(L.width, ' ');
        for (std::size_t i = 0; i < h.ops.size(); ++i)
            if (h.ops[i].thread == t) lane.replace(L.col_inv[i], L.col_res[i] - L.col_inv[i] + 1, bar(L, i));
        while (!lane.empty() && lane.back() == ' ') lane.pop_back();
        out << "T" << t << std::string(t < 10 ? 2 : 1, ' ') << "| " << lane << "\n";
    }
    out << "operations (thread [invoke, response] op -> result):\n";
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        const auto& o = h.ops[i];
        out << "  T" << o.thread << " [" << o.invoke << ", " << o.response << "] " << L.label[i]
            << (L.bad.count(i) ? "   <-- involved" : "") << "\n";
    }
}

void write_svg(std::ostream& out, const history& h, const verdict& v) {
    layout L = make_layout(h, v);
    const double cw = 7.5, lane_h = 30, left = 50, top = 50;
    const double width = left + static_cast<double>(L.width) * cw + 20;
    const double height = top + static_cast<double>(L.threads.size()) * lane_h + 30;
    std::string caption = v.holds()       ? "history satisfies the contract"
                          : v.violated() ? "violated rule: " + v.rule
                                         : "undecided: " + v.rule;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << std::max(width, 640.0) << "\" height=\"" << height
        << "\" font-family=\"monospace\" font-size=\"12\">\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        << "<text x=\"10\" y=\"20\" font-weight=\"bold\" fill=\"" << (v.holds() ? "#060" : v.violated() ? "#b00" : "#a60") << "\">"
        << xml_escape(caption) << "</text>\n";
    for (std::size_t lane = 0; lane < L.threads.size(); ++lane) {
        double y = top + static_cast<double>(lane) * lane_h;
        out << "<text x=\"10\" y=\"" << y + 17 << "\">T" << L.threads[lane] << "</text>\n"
            << "<line x1=\"" << left << "\" y1=\"" << y + 24 << "\" x2=\"" << width - 10 << "\" y2=\"" << y + 24
            << "\" stroke=\"#ddd\"/>\n";
        for (std::size_t i = 0; i < h.ops.size(); ++i) {
            if (h.ops[i].thread != L.threads[lane]) continue;
            bool bad = L.bad.count(i) > 0;
            double x = left + static_cast<double>(L.col_inv[i]) * cw;
            double w = static_cast<double>(L.col_res[i] - L.col_inv[i] + 1) * cw;
            out << "<rect x=\"" << x << "\" y=\"" << y + 4 << "\" width=\"" << w << "\" height=\"20\" rx=\"3\" fill=\""
                << (bad ? "#f6c4c4" : "#dfe8f6") << "\" stroke=\"" << (bad ? "#c00" : "#557") << "\"><title>T"
                << h.ops[i].thread << " [" << h.ops[i].invoke << ", " << h.ops[i].response << "] "
                << xml_escape(L.label[i]) << "</title></rect>\n"
                << "<text x=\"" << x + 4 << "\" y=\"" << y + 18 << "\">" << xml_escape(L.label[i]) << "</text>\n";
        }
    }
    out << "<text x=\"10\" y=\"" << height - 8 << "\" fill=\"#555\">lanes: threads; bars: operation intervals"
        << " (time compressed); red: operations involved in the violation</text>\n</svg>\n";
}

}  // namespace ringcheck::oracle
