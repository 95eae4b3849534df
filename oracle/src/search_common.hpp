// What the two exact searches (search.cpp over values, slot_search.cpp over
// anonymous slots) share: choice points, the memo of refuted states, budgets.
#pragma once

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "huge_pages.hpp"
#include "internal.hpp"

namespace ringcheck::oracle::detail {

inline std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33, x *= 0xff51afd7ed558ccdULL, x ^= x >> 33, x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

// A choice point at response event k: the moves cands[cand_begin, cand_end),
// `next` the next one to try; undo_mark restores the state it was made in.
struct search_frame {
    std::size_t undo_mark;
    std::uint32_t cand_begin, cand_end, next;
    std::size_t k;
};

// States with no linearization, under exact keys (event, placed open ops, the
// queue as words); the hash only picks the bucket. Past its limit it stops
// remembering: slower, never wrong.
class refuted_states {
public:
    // `queue` writes the state's queue words into its argument; called only
    // when an entry with the same event and placed ops is found.
    template <class Queue>
    bool contains(std::uint64_t hash, std::size_t k, const std::vector<std::uint32_t>& placed, Queue&& queue,
                  std::vector<std::uint32_t>& scratch) const {
        if (index_.empty()) return false;
        for (std::size_t i = hash & (index_.size() - 1);; i = (i + 1) & (index_.size() - 1)) {
            const entry& e = index_[i];
            if (e.k == empty_slot) return false;
            if (e.hash != hash || e.k != k || e.placed_count != placed.size()) continue;
            const std::uint32_t* d = blocks_[e.offset / block_words].data() + e.offset % block_words;
            if (!std::equal(placed.begin(), placed.end(), d)) continue;
            queue(scratch);
            if (e.queue_count == scratch.size() && std::equal(scratch.begin(), scratch.end(), d + e.placed_count))
                return true;
        }
        return false;
    }
    void insert(std::uint64_t hash, std::size_t k, const std::vector<std::uint32_t>& placed,
                const std::vector<std::uint32_t>& queue) {
        const std::size_t words = placed.size() + queue.size();
        if (words > block_words) return;  // a state larger than a block is not remembered
        if (blocks_.empty() || blocks_.back().size() + words > block_words) {
            if ((blocks_.size() + 1) * block_words > limit) return;
            blocks_.emplace_back();
        }
        auto& block = blocks_.back();
        if (block.size() + words > block.capacity())  // small searches do not map a whole block
            block.reserve(std::min(block_words, std::max({block.size() + words, 2 * block.capacity(), std::size_t{4096}})));
        const std::size_t offset = (blocks_.size() - 1) * block_words + block.size();
        add_to_index(entry{hash, k, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(placed.size()),
                           static_cast<std::uint32_t>(queue.size())});
        ++entries_;
        block.insert(block.end(), placed.begin(), placed.end());
        block.insert(block.end(), queue.begin(), queue.end());
    }
    bool empty() const { return entries_ == 0; }

private:
    static constexpr std::size_t empty_slot = ~std::size_t{0};
    struct entry {
        std::uint64_t hash;
        std::size_t k = empty_slot;
        std::uint32_t offset, placed_count, queue_count;
    };
    // Open addressing with linear probing, at most half full: one probe
    // sequence per look-up, no allocation per state.
    void add_to_index(const entry& e) {
        if (2 * (entries_ + 1) > index_.size()) {
            big_vector<entry> old(std::max<std::size_t>(1024, 2 * index_.size()));
            old.swap(index_);
            for (const entry& x : old)
                if (x.k != empty_slot) place(x);
        }
        place(e);
    }
    void place(const entry& e) {
        std::size_t i = e.hash & (index_.size() - 1);
        while (index_[i].k != empty_slot) i = (i + 1) & (index_.size() - 1);
        index_[i] = e;
    }
    big_vector<entry> index_;
    std::size_t entries_ = 0;
    // The states' words, in blocks of at most one huge page: only the last one
    // grows (doubling, so a small search maps little), so no doubling copies
    // more than one block, as one growing vector would copy everything remembered.
    std::vector<big_vector<std::uint32_t>> blocks_;
    static constexpr std::size_t block_words = std::size_t{1} << 19;  // 2 MiB, one huge page
    static constexpr std::size_t limit = std::size_t{1} << 26;        // words in all blocks (256 MiB)
};

// Has the search's own budget (frames, refuted states; 0 = none) or the
// check's (frames over all searches, the deadline) run out? The clock is read
// every 4096 frames.
inline bool out_of_budget(std::size_t steps, std::size_t budget, std::size_t fails, std::size_t fail_budget,
                          search_limits& limits) {
    if ((budget && steps > budget) || (fail_budget && fails > fail_budget)) return true;
    if (limits.steps_used >= limits.max_steps ||
        ((steps & 4095) == 0 && std::chrono::steady_clock::now() >= limits.deadline)) {
        limits.exhausted = true;
        return true;
    }
    return false;
}

// A search that stops undecided names the window still open: from the lowest
// choice point that was revisited (or the deepest point, if none was) to the deepest.
template <class Frames, class Order>
search_result gave_up_at(const Frames& frames, const Order& resp_order, std::uint32_t stuck) {
    search_result r{search_result::gave_up, stuck};
    r.window_first = r.window_last = stuck;
    for (const search_frame& f : frames)
        if (f.next - f.cand_begin > 1) {
            r.window_first = resp_order[f.k];
            break;
        }
    return r;
}

}  // namespace ringcheck::oracle::detail
