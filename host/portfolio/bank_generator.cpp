#include "ratesim/portfolio/bank_generator.hpp"

#include "ratesim/engine/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

namespace ratesim {
namespace {

// SplitMix64: tiny, portable and fully specified (std:: distributions are not, across libraries).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int integer(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }
  /// Log-uniform: balances spread over orders of magnitude.
  double log_uniform(double lo, double hi) { return lo * std::pow(hi / lo, uniform()); }
  bool chance(double p) { return uniform() < p; }

 private:
  std::uint64_t state_;
};

struct Row {
  std::string product;
  std::string segment, side, kind, currency = "USD";
  double notional = 0.0;
  Date start, maturity;
  bool has_dates = true;
  std::string amortization, day_count;
  int payment = 0, index_tenor = 0, reset = 0;
  double rate = 0.0, spread = 0.0, cap = NAN, floor = NAN, strike = NAN;
  bool has_rate = true, has_spread = false;
  std::string swap_leg, behaviour, nmd_category;
};

std::string number(double v, int decimals) {
  return std::isnan(v) ? std::string() : fmt::format("{:.{}f}", v, decimals);
}
std::string months(int m) { return m > 0 ? std::to_string(m) : std::string(); }

std::string to_csv(const std::string& id, const Row& r) {
  return fmt::format(
      "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", id, r.segment, r.side,
      r.kind, r.currency, number(r.notional, 2), r.has_dates ? format_iso_date(r.start) : "",
      r.has_dates && r.kind != "nmd" ? format_iso_date(r.maturity) : "", r.amortization,
      months(r.payment), r.day_count, r.has_rate ? number(r.rate, 6) : "", months(r.index_tenor),
      r.has_spread ? number(r.spread, 6) : "", months(r.reset), number(r.cap, 6),
      number(r.floor, 6), r.swap_leg, number(r.strike, 6), r.behaviour, r.nmd_category);
}

// A position that started `age_months` ago and runs `term_months` in all, rolled to whole months.
void set_term(Row& r, Date valuation, int age_months, int term_months) {
  r.start = add_months(valuation, -age_months);
  r.maturity = add_months(r.start, term_months);
}

// Today's market the coupons are drawn around (the bundled curve's level).
constexpr double kIndex3M = 0.0388;
constexpr double kIndex12M = 0.0365;

}  // namespace

void generate_bank_csv(int positions, std::uint64_t seed, Date valuation,
                       const std::function<void(std::string_view)>& write, const std::atomic<bool>* stop) {
  struct Product {
    const char* name;
    double share;    // of the number of positions
    double balance;  // of total assets (asset and off-balance products) or liabilities
  };
  // A commercial bank of $1m of assets per position: long fixed-rate mortgages and securities,
  // floating corporate lending, funded mostly by deposits, with pay-fixed swaps and caps hedging.
  const std::vector<Product> mix = {
      {"fixed_mortgage", 0.22, 0.34},     {"adjustable_mortgage", 0.08, 0.08},
      {"consumer_loan", 0.12, 0.05},      {"corporate_floating", 0.14, 0.22},
      {"corporate_fixed", 0.06, 0.09},    {"fixed_bond", 0.06, 0.16},
      {"floating_bond", 0.03, 0.06},      {"term_deposit", 0.12, 0.28},
      {"nmd", 0.12, 0.57},                {"issued_bond", 0.02, 0.15},
      {"pay_fixed_swap", 0.015, 0.26},    {"receive_fixed_swap", 0.005, 0.04},
      {"bought_cap", 0.005, 0.03},
  };
  const double total_assets = 1e6 * positions;
  const double total_liabilities = 0.92 * total_assets;  // equity about 8% of assets
  // Streamed, never held: the same draws are made once to total each product's balance and once
  // per group (assets, liabilities, off-balance: the file's order) to write the scaled rows. The
  // generator is cheap beside the formatting; memory stays flat for 10^7 positions.
  enum Group { kAssets, kLiabilities, kOffBalance };
  auto draw_all = [&](const std::function<void(const Row&, Group)>& emit) {
  Random rng(seed);
  for (int i = 0; i < positions; ++i) {
    if (i % 4096 == 0) check_stop_flag(stop);
    // Deterministic interleaving: position i takes the product whose cumulative share covers
    // (i + 0.5) / positions, so every product appears in proportion for any count.
    const double u = (i + 0.5) / positions;
    double cumulative = 0.0;
    std::string product = mix.back().name;
    for (const Product& p : mix) {
      cumulative += p.share;
      if (u < cumulative) {
        product = p.name;
        break;
      }
    }
    Row r;
    r.product = product;
    if (product == "fixed_mortgage") {
      const int term = rng.chance(0.7) ? 360 : 180;
      set_term(r, valuation, rng.integer(1, 120), term);
      r.segment = "retail_mortgages"; r.side = "asset"; r.kind = "mortgage";
      r.notional = rng.log_uniform(80e3, 900e3);
      r.amortization = "annuity"; r.payment = 1; r.day_count = "30/360";
      r.rate = std::round(rng.uniform(0.0275, 0.0700) * 8000) / 8000;  // eighths of a percent
      r.behaviour = "mortgage_prepayment";
      emit(r, kAssets);
    } else if (product == "adjustable_mortgage") {
      set_term(r, valuation, rng.integer(1, 84), 360);
      r.segment = "retail_mortgages"; r.side = "asset"; r.kind = "mortgage";
      r.notional = rng.log_uniform(150e3, 1.2e6);
      r.amortization = "annuity"; r.payment = 1; r.day_count = "30/360";
      r.index_tenor = 12; r.reset = 12; r.spread = rng.uniform(0.0225, 0.0275); r.has_spread = true;
      r.rate = kIndex12M + r.spread + rng.uniform(-0.005, 0.005);
      r.cap = r.rate + 0.05; r.floor = r.spread;
      r.behaviour = "mortgage_prepayment";
      emit(r, kAssets);
    } else if (product == "consumer_loan") {
      const int term = 12 * rng.integer(3, 6);
      set_term(r, valuation, rng.integer(1, term - 1), term);
      r.segment = "retail_consumer"; r.side = "asset"; r.kind = "fixed_loan";
      r.notional = rng.log_uniform(4e3, 60e3);
      r.amortization = "annuity"; r.payment = 1; r.day_count = "30/360";
      r.rate = rng.uniform(0.06, 0.14);
      r.behaviour = "consumer_prepayment";
      emit(r, kAssets);
    } else if (product == "corporate_floating") {
      const int term = 12 * rng.integer(1, 7);
      set_term(r, valuation, 3 * rng.integer(0, term / 3 - 1), term);
      r.segment = "corporate"; r.side = "asset"; r.kind = "floating_loan";
      r.notional = rng.log_uniform(1e6, 25e6);
      r.amortization = rng.chance(0.6) ? "bullet" : "linear"; r.payment = 3; r.day_count = "ACT/360";
      r.index_tenor = 3; r.reset = 3; r.spread = rng.uniform(0.0125, 0.035); r.has_spread = true;
      r.rate = kIndex3M + r.spread + rng.uniform(-0.003, 0.003);
      if (rng.chance(0.5)) r.floor = r.spread;             // index floored at zero
      if (rng.chance(0.1)) r.cap = r.spread + 0.07;        // rare borrower caps
      emit(r, kAssets);
    } else if (product == "corporate_fixed") {
      const int term = 12 * rng.integer(2, 10);
      set_term(r, valuation, rng.integer(1, term - 1), term);
      r.segment = "corporate"; r.side = "asset"; r.kind = "fixed_loan";
      r.notional = rng.log_uniform(500e3, 15e6);
      const bool annuity = rng.chance(0.5);
      r.amortization = annuity ? "annuity" : "bullet"; r.payment = annuity ? 1 : 3; r.day_count = "30/360";
      r.rate = rng.uniform(0.045, 0.08);
      emit(r, kAssets);
    } else if (product == "fixed_bond") {
      const int term = 12 * rng.integer(3, 12);
      set_term(r, valuation, 6 * rng.integer(0, std::min(term / 6 - 2, 8)), term);
      r.segment = "treasury"; r.side = "asset"; r.kind = "fixed_bond";
      r.notional = std::round(rng.log_uniform(5e6, 50e6) / 1e6) * 1e6;
      r.amortization = "bullet"; r.payment = 6; r.day_count = "30/360";
      r.rate = std::round(rng.uniform(0.015, 0.05) * 800) / 800;
      emit(r, kAssets);
    } else if (product == "floating_bond") {
      const int term = 12 * rng.integer(2, 7);
      set_term(r, valuation, 3 * rng.integer(0, term / 3 - 1), term);
      r.segment = "treasury"; r.side = "asset"; r.kind = "floating_bond";
      r.notional = std::round(rng.log_uniform(5e6, 30e6) / 1e6) * 1e6;
      r.amortization = "bullet"; r.payment = 3; r.day_count = "ACT/360";
      r.index_tenor = 3; r.reset = 3; r.spread = rng.uniform(0.002, 0.008); r.has_spread = true;
      r.rate = kIndex3M + r.spread + rng.uniform(-0.002, 0.002);
      emit(r, kAssets);
    } else if (product == "term_deposit") {
      const int term = std::vector<int>{3, 6, 12, 24, 36, 60}[static_cast<std::size_t>(rng.integer(0, 5))];
      set_term(r, valuation, rng.integer(0, term - 1), term);
      r.segment = "retail_deposits"; r.side = "liability"; r.kind = "term_deposit";
      r.notional = rng.log_uniform(10e3, 500e3);
      r.amortization = "bullet"; r.payment = term > 12 ? 12 : 0; r.day_count = "ACT/365F";
      r.rate = 0.025 + 0.004 * std::log2(term / 3.0) + rng.uniform(-0.003, 0.003);
      emit(r, kLiabilities);
    } else if (product == "nmd") {
      const double which = rng.uniform();
      r.side = "liability"; r.kind = "nmd"; r.has_dates = false;
      if (which < 0.4) {
        r.segment = "retail_deposits"; r.nmd_category = "retail_transactional";
        r.behaviour = "transactional_deposits"; r.rate = rng.uniform(0.0, 0.005);
        r.notional = rng.log_uniform(200e3, 20e6);
      } else if (which < 0.8) {
        r.segment = "retail_deposits"; r.nmd_category = "retail_non_transactional";
        r.behaviour = "savings_deposits"; r.rate = rng.uniform(0.01, 0.03);
        r.notional = rng.log_uniform(200e3, 20e6);
      } else {
        r.segment = "wholesale_funding"; r.nmd_category = "wholesale";
        r.behaviour = "operational_deposits"; r.rate = rng.uniform(0.015, 0.035);
        r.notional = rng.log_uniform(1e6, 50e6);
      }
      emit(r, kLiabilities);
    } else if (product == "issued_bond") {
      const int term = 12 * rng.integer(3, 10);
      set_term(r, valuation, 6 * rng.integer(0, term / 6 - 2), term);
      r.segment = "wholesale_funding"; r.side = "liability"; r.kind = "fixed_bond";
      r.notional = std::round(rng.log_uniform(20e6, 200e6) / 1e6) * 1e6;
      r.amortization = "bullet"; r.payment = 6; r.day_count = "30/360";
      r.rate = std::round(rng.uniform(0.03, 0.055) * 800) / 800;
      emit(r, kLiabilities);
    } else if (product == "pay_fixed_swap" || product == "receive_fixed_swap") {
      const int term = 12 * rng.integer(3, 10);
      set_term(r, valuation, 3 * rng.integer(0, term / 6), term);
      r.segment = "hedging"; r.side = "off_balance"; r.kind = "swap";
      r.notional = std::round(rng.log_uniform(10e6, 100e6) / 1e6) * 1e6;
      r.payment = 12; r.day_count = "ACT/360"; r.index_tenor = 3; r.reset = 3;
      r.rate = rng.uniform(0.034, 0.042);
      r.swap_leg = product == "pay_fixed_swap" ? "pay_fixed" : "receive_fixed";
      emit(r, kOffBalance);
    } else {  // bought_cap
      const int term = 12 * rng.integer(3, 7);
      set_term(r, valuation, 3 * rng.integer(0, term / 6), term);
      r.segment = "hedging"; r.side = "off_balance"; r.kind = "cap";
      r.notional = std::round(rng.log_uniform(25e6, 100e6) / 1e6) * 1e6;
      r.index_tenor = 3; r.reset = 3; r.has_rate = false;
      r.strike = std::round(rng.uniform(0.045, 0.06) * 400) / 400;
      emit(r, kOffBalance);
    }
  }
  };
  // Each product's balances scaled to its share; the draws set the spread within it.
  std::map<std::string, double> drawn;
  draw_all([&](const Row& r, Group) { drawn[r.product] += r.notional; });
  std::map<std::string, double> scale;
  for (const Product& product : mix) {
    const double total = drawn[product.name];
    if (total <= 0.0) continue;
    const bool liability = std::string(product.name) == "term_deposit" ||
                           std::string(product.name) == "nmd" ||
                           std::string(product.name) == "issued_bond";
    scale[product.name] = product.balance * (liability ? total_liabilities : total_assets) / total;
  }

  write("id,segment,side,kind,currency,notional,start_date,maturity_date,amortization,"
        "payment_frequency_months,day_count,rate,index_tenor_months,spread,reset_frequency_months,"
        "cap_rate,floor_rate,swap_leg,strike,behaviour,nmd_category\n");
  int id = 0;
  for (const Group group : {kAssets, kLiabilities, kOffBalance}) {
    draw_all([&](const Row& drawn_row, Group of) {
      if (of != group) return;
      Row r = drawn_row;
      r.notional = std::round(r.notional * scale[r.product] * 100.0) / 100.0;
      write(to_csv(fmt::format("P{:07d}", ++id), r));
    });
  }
}

std::string generate_bank_csv(int positions, std::uint64_t seed, Date valuation) {
  std::string out;
  generate_bank_csv(positions, seed, valuation, [&](std::string_view text) { out += text; });
  return out;
}

}  // namespace ratesim
