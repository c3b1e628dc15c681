#include "ratesim/portfolio/portfolio_reader.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "ratesim/io/csv.hpp"
#include "ratesim/io/input_error.hpp"

namespace ratesim {
namespace {

enum Column {
  kId, kSegment, kSide, kKind, kCurrency, kNotional, kStartDate, kMaturityDate, kAmortization,
  kPaymentFrequency, kDayCount, kRate, kIndexTenor, kSpread, kResetFrequency, kCapRate, kFloorRate,
  kSwapLeg, kStrike, kBehaviour, kNmdCategory, kColumnCount
};

constexpr std::array<const char*, kColumnCount> kColumnNames = {
    "id", "segment", "side", "kind", "currency", "notional", "start_date", "maturity_date",
    "amortization", "payment_frequency_months", "day_count", "rate", "index_tenor_months",
    "spread", "reset_frequency_months", "cap_rate", "floor_rate", "swap_leg", "strike",
    "behaviour", "nmd_category"};

constexpr std::array<Column, 6> kHeaderRequired = {kId, kSegment, kSide, kKind, kCurrency, kNotional};

template <class Enum, std::size_t N>
std::optional<Enum> parse_enum(const std::string& text,
                               const std::array<std::pair<const char*, Enum>, N>& names) {
  for (const auto& [name, value] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <class Enum, std::size_t N>
std::string allowed(const std::array<std::pair<const char*, Enum>, N>& names) {
  std::string out;
  for (const auto& entry : names) out += (out.empty() ? "" : ", ") + std::string(entry.first);
  return out;
}

constexpr std::array<std::pair<const char*, Side>, 3> kSides = {
    {{"asset", Side::kAsset}, {"liability", Side::kLiability}, {"off_balance", Side::kOffBalance}}};
constexpr std::array<std::pair<const char*, PositionKind>, 10> kKinds = {
    {{"fixed_loan", PositionKind::kFixedLoan},
     {"floating_loan", PositionKind::kFloatingLoan},
     {"mortgage", PositionKind::kMortgage},
     {"fixed_bond", PositionKind::kFixedBond},
     {"floating_bond", PositionKind::kFloatingBond},
     {"term_deposit", PositionKind::kTermDeposit},
     {"nmd", PositionKind::kNmd},
     {"swap", PositionKind::kSwap},
     {"cap", PositionKind::kCap},
     {"floor", PositionKind::kFloor}}};
constexpr std::array<std::pair<const char*, Amortization>, 3> kAmortizations = {
    {{"bullet", Amortization::kBullet},
     {"annuity", Amortization::kAnnuity},
     {"linear", Amortization::kLinear}}};
constexpr std::array<std::pair<const char*, DayCount>, 3> kDayCounts = {
    {{"ACT/360", DayCount::kAct360}, {"ACT/365F", DayCount::kAct365Fixed}, {"30/360", DayCount::kThirty360}}};
constexpr std::array<std::pair<const char*, SwapLeg>, 2> kSwapLegs = {
    {{"pay_fixed", SwapLeg::kPayFixed}, {"receive_fixed", SwapLeg::kReceiveFixed}}};
constexpr std::array<std::pair<const char*, NmdCategory>, 3> kNmdCategories = {
    {{"retail_transactional", NmdCategory::kRetailTransactional},
     {"retail_non_transactional", NmdCategory::kRetailNonTransactional},
     {"wholesale", NmdCategory::kWholesale}}};

enum class Need { kRequired, kOptional, kNotApplicable };

/// Which optional columns a kind needs (docs/positions.md, "Columns by kind").
struct KindRules {
  Need start, maturity, amortization, payment, day_count, rate, index, spread, reset, cap_floor,
      swap_leg, strike, behaviour, nmd_category;
};

KindRules rules_for(PositionKind kind, bool adjustable) {
  using enum Need;
  switch (kind) {
    case PositionKind::kFixedLoan:
    case PositionKind::kFixedBond:
      return {kRequired, kRequired, kRequired, kRequired, kRequired, kRequired, kNotApplicable,
              kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable,
              kOptional, kNotApplicable};
    case PositionKind::kMortgage:
      if (!adjustable) {
        return {kRequired, kRequired, kRequired, kRequired, kRequired, kRequired, kOptional,
                kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable,
                kOptional, kNotApplicable};
      }
      [[fallthrough]];
    case PositionKind::kFloatingLoan:
    case PositionKind::kFloatingBond:
      return {kRequired, kRequired, kRequired, kRequired, kRequired, kRequired, kRequired,
              kRequired, kRequired, kOptional, kNotApplicable, kNotApplicable, kOptional,
              kNotApplicable};
    case PositionKind::kTermDeposit:
      return {kRequired, kRequired, kOptional, kOptional, kRequired, kRequired, kNotApplicable,
              kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable,
              kOptional, kNotApplicable};
    case PositionKind::kNmd:
      return {kOptional, kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable, kOptional,
              kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable,
              kNotApplicable, kRequired, kRequired};
    case PositionKind::kSwap:
      return {kRequired, kRequired, kNotApplicable, kRequired, kRequired, kRequired, kRequired,
              kOptional, kRequired, kNotApplicable, kRequired, kNotApplicable, kNotApplicable,
              kNotApplicable};
    case PositionKind::kCap:
    case PositionKind::kFloor:
      return {kRequired, kRequired, kNotApplicable, kNotApplicable, kNotApplicable, kNotApplicable,
              kRequired, kNotApplicable, kRequired, kNotApplicable, kNotApplicable, kRequired,
              kNotApplicable, kNotApplicable};
  }
  return {};
}

class RowReader {
 public:
  RowReader(const std::string& file, int header_line, const std::array<int, kColumnCount>& index,
            std::vector<InputIssue>& issues, std::vector<bool>& missing_reported)
      : file_(file), header_line_(header_line), index_(index), issues_(issues), missing_reported_(missing_reported) {}

  void start_row(const CsvRow& row) {
    row_ = &row;
    ok_ = true;
  }
  bool ok() const { return ok_; }

  const CsvCell* cell(Column c) const {
    const int at = index_[c];
    return at < 0 ? nullptr : &row_->cells[static_cast<std::size_t>(at)];
  }
  bool present(Column c) const {
    const CsvCell* x = cell(c);
    return x && !x->text.empty();
  }

  void issue(Column c, const std::string& rule, const std::string& detail) {
    const CsvCell* x = cell(c);
    issues_.push_back({file_, row_->line, x ? x->column : 0, rule, detail});
    ok_ = false;
  }

  /// Checks presence against the kind's need; true when a value is there to read.
  bool check(Column c, Need need, const std::string& kind_name) {
    if (need == Need::kNotApplicable) {
      if (present(c)) {
        issue(c, "not applicable", std::string(kColumnNames[c]) + " does not apply to " + kind_name);
      }
      return false;
    }
    if (index_[c] < 0) {
      if (need == Need::kRequired) {
        if (!missing_reported_[c]) {
          issues_.push_back({file_, header_line_, 1, "missing column",
                             std::string("'") + kColumnNames[c] + "' is needed by " + kind_name +
                                 " (first on line " + std::to_string(row_->line) + ")"});
          missing_reported_[c] = true;
        }
        ok_ = false;
      }
      return false;
    }
    if (!present(c)) {
      if (need == Need::kRequired) {
        issue(c, "missing value", std::string(kColumnNames[c]) + " is required for " + kind_name);
      }
      return false;
    }
    return true;
  }

  std::optional<double> number(Column c) {
    const std::string& text = cell(c)->text;
    const auto value = parse_finite_number(text);
    if (!value) {
      const bool non_finite = text == "nan" || text == "NaN" || text == "inf" || text == "-inf" ||
                              text == "Inf" || text == "infinity" || text == "NAN" || text == "INF";
      issue(c, non_finite ? "non-finite value" : "not a number",
            std::string(kColumnNames[c]) + " '" + text + "'");
    }
    return value;
  }

  /// A number within [-limit, limit].
  std::optional<double> bounded(Column c, double limit, const std::string& unit) {
    const auto value = number(c);
    if (value && std::fabs(*value) > limit) {
      issue(c, "out of range", std::string(kColumnNames[c]) + " '" + cell(c)->text + "' exceeds " + unit);
      return std::nullopt;
    }
    return value;
  }

  std::optional<int> months(Column c) {
    const auto value = number(c);
    if (!value) return std::nullopt;
    if (*value != std::floor(*value) || *value < 1 || *value > 1200) {
      issue(c, "out of range", std::string(kColumnNames[c]) + " must be a whole number of months, 1..1200");
      return std::nullopt;
    }
    return static_cast<int>(*value);
  }

  std::optional<Date> date(Column c) {
    const auto value = parse_iso_date(cell(c)->text);
    if (!value) issue(c, "not a date", std::string(kColumnNames[c]) + " '" + cell(c)->text + "' is not YYYY-MM-DD");
    return value;
  }

  template <class Enum, std::size_t N>
  std::optional<Enum> choice(Column c, const std::array<std::pair<const char*, Enum>, N>& names) {
    const auto value = parse_enum(cell(c)->text, names);
    if (!value) {
      issue(c, "unknown value", std::string(kColumnNames[c]) + " '" + cell(c)->text +
                                    "' (allowed: " + allowed(names) + ")");
    }
    return value;
  }

 private:
  const std::string& file_;
  int header_line_;
  const std::array<int, kColumnCount>& index_;
  std::vector<InputIssue>& issues_;
  std::vector<bool>& missing_reported_;
  const CsvRow* row_ = nullptr;
  bool ok_ = true;
};

int intern(std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  names.push_back(name);
  return static_cast<int>(names.size() - 1);
}

}  // namespace

Portfolio read_positions_csv(const std::string& file, const BehaviourTable& behaviours,
                             std::optional<Date> valuation_date, const std::atomic<bool>* stop,
                             std::vector<InputIssue>& problems) {
  // Streamed: one row at a time goes from the file into the struct-of-arrays tables.
  CsvReader csv(file, stop);
  std::vector<InputIssue>& issues = csv.issues();
  // Every path out hands the file's problems to the caller.
  struct Handover {
    std::vector<InputIssue>& from;
    std::vector<InputIssue>& to;
    ~Handover() { to.insert(to.end(), from.begin(), from.end()); }
  } handover{issues, problems};
  if (!csv.has_header()) return {};
  const CsvRow& header = csv.header();

  std::array<int, kColumnCount> index{};
  for (int c = 0; c < kColumnCount; ++c) index[static_cast<std::size_t>(c)] = csv.find_column(kColumnNames[static_cast<std::size_t>(c)]);
  for (const CsvCell& h : header.cells) {
    bool known = false;
    for (const char* name : kColumnNames) known = known || h.text == name;
    if (!known) issues.push_back({file, header.line, h.column, "unknown column", "'" + h.text + "'"});
  }
  bool header_usable = true;
  for (Column c : kHeaderRequired) {
    if (index[c] < 0) {
      issues.push_back({file, header.line, 1, "missing column",
                        std::string("the header needs '") + kColumnNames[c] + "'"});
      header_usable = false;
    }
  }
  if (!header_usable) return {};

  Portfolio p;
  std::vector<bool> missing_reported(kColumnCount, false);
  RowReader r(file, header.line, index, issues, missing_reported);
  std::unordered_map<std::string, int> id_lines;
  std::size_t bad_rows_beyond_cap = 0, rows = 0;
  constexpr double kInf = std::numeric_limits<double>::infinity();

  CsvRow row;
  while (csv.next(row)) {
    ++rows;
    if (issues.size() >= static_cast<std::size_t>(kMaxReportedIssues)) {
      ++bad_rows_beyond_cap;  // counted, not examined further
      continue;
    }
    r.start_row(row);
    const std::string id = r.cell(kId)->text;
    if (id.empty()) {
      r.issue(kId, "missing value", "id is required");
    } else if (auto [it, inserted] = id_lines.emplace(id, row.line); !inserted) {
      r.issue(kId, "duplicate id", "'" + id + "' is already used on line " + std::to_string(it->second));
    }
    std::optional<Side> side;
    std::optional<PositionKind> kind;
    if (r.present(kSide)) side = r.choice(kSide, kSides);
    else r.issue(kSide, "missing value", "side is required");
    if (r.present(kKind)) kind = r.choice(kKind, kKinds);
    else r.issue(kKind, "missing value", "kind is required");
    if (!r.present(kCurrency)) r.issue(kCurrency, "missing value", "currency is required");
    std::optional<double> notional;
    if (r.present(kNotional)) notional = r.bounded(kNotional, kMaxNotional, "1e15 in absolute value");
    else r.issue(kNotional, "missing value", "notional is required");
    if (!kind) continue;

    const std::string kind_name = position_kind_name(*kind);
    const bool adjustable = *kind == PositionKind::kMortgage && r.present(kIndexTenor);
    const KindRules need = rules_for(*kind, adjustable);
    const bool floating = *kind == PositionKind::kFloatingLoan ||
                          *kind == PositionKind::kFloatingBond || adjustable;

    if (notional) {
      const bool option = *kind == PositionKind::kCap || *kind == PositionKind::kFloor;
      if (option ? *notional == 0.0 : *notional <= 0.0) {
        r.issue(kNotional, "out of range", option ? "notional must not be 0 (negative: sold)"
                                                  : "notional must be positive");
      }
    }
    if (side && *kind == PositionKind::kSwap && *side != Side::kOffBalance) {
      r.issue(kSide, "wrong side", "a swap is off_balance");
    }
    if (side && *kind == PositionKind::kNmd && *side != Side::kLiability) {
      r.issue(kSide, "wrong side", "a non-maturity deposit is a liability");
    }
    if (side && *kind == PositionKind::kTermDeposit && *side != Side::kLiability) {
      r.issue(kSide, "wrong side", "a term deposit is a liability");
    }

    std::optional<Date> start, maturity;
    if (r.check(kStartDate, need.start, kind_name)) start = r.date(kStartDate);
    if (r.check(kMaturityDate, need.maturity, kind_name)) maturity = r.date(kMaturityDate);
    if (maturity && valuation_date && maturity->days > add_months(*valuation_date, 12 * kMaxMaturityYears).days) {
      r.issue(kMaturityDate, "maturity too far",
              "maturity_date " + format_iso_date(*maturity) + " is more than " + std::to_string(kMaxMaturityYears) +
                  " years after the valuation date; an open-ended product (a placeholder such as 9999-12-31) is a "
                  "non-maturity deposit or needs its contractual or behavioural maturity");
    }
    if (start && maturity && !(*maturity > *start)) {
      r.issue(kMaturityDate, "maturity before start",
              "maturity_date " + format_iso_date(*maturity) + " is not after start_date " +
                  format_iso_date(*start));
    }
    Amortization amortization = Amortization::kBullet;
    if (r.check(kAmortization, need.amortization, kind_name)) {
      if (auto v = r.choice(kAmortization, kAmortizations)) amortization = *v;
    }
    int payment = 0, reset = 0, tenor = 0;
    if (r.check(kPaymentFrequency, need.payment, kind_name)) payment = r.months(kPaymentFrequency).value_or(0);
    if (amortization != Amortization::kBullet && payment == 0 && r.ok()) {
      r.issue(kPaymentFrequency, "missing value", "an amortising position needs payment_frequency_months");
    }
    DayCount day_count = DayCount::kAct365Fixed;
    if (r.check(kDayCount, need.day_count, kind_name)) {
      if (auto v = r.choice(kDayCount, kDayCounts)) day_count = *v;
    }
    double rate = 0.0, spread = 0.0, strike = 0.0, cap = kInf, floor = -kInf;
    const std::string rate_unit = "1 in absolute value (rates are decimals: 0.05 is 5%)";
    if (r.check(kRate, need.rate, kind_name)) rate = r.bounded(kRate, kMaxAbsRate, rate_unit).value_or(0.0);
    if (r.check(kIndexTenor, need.index, kind_name)) tenor = r.months(kIndexTenor).value_or(0);
    if (r.check(kSpread, need.spread, kind_name)) spread = r.bounded(kSpread, kMaxAbsRate, rate_unit).value_or(0.0);
    if (r.check(kResetFrequency, need.reset, kind_name)) reset = r.months(kResetFrequency).value_or(0);
    if (floating && payment > 0 && reset > 0 && reset % payment != 0) {
      r.issue(kResetFrequency, "incompatible frequency",
              "reset_frequency_months must be a multiple of payment_frequency_months");
    }
    if (r.check(kCapRate, need.cap_floor, kind_name)) cap = r.bounded(kCapRate, kMaxAbsRate, rate_unit).value_or(kInf);
    if (r.check(kFloorRate, need.cap_floor, kind_name)) floor = r.bounded(kFloorRate, kMaxAbsRate, rate_unit).value_or(-kInf);
    if (cap < kInf && floor > -kInf && floor > cap) {
      r.issue(kFloorRate, "floor above cap", "floor_rate exceeds cap_rate");
    }
    SwapLeg leg = SwapLeg::kNone;
    if (r.check(kSwapLeg, need.swap_leg, kind_name)) {
      if (auto v = r.choice(kSwapLeg, kSwapLegs)) leg = *v;
    }
    if (r.check(kStrike, need.strike, kind_name)) strike = r.bounded(kStrike, kMaxAbsRate, rate_unit).value_or(0.0);
    NmdCategory category = NmdCategory::kNone;
    if (r.check(kNmdCategory, need.nmd_category, kind_name)) {
      if (auto v = r.choice(kNmdCategory, kNmdCategories)) category = *v;
    }
    int behaviour = kNoBehaviour;
    if (r.check(kBehaviour, need.behaviour, kind_name)) {
      const std::string& name = r.cell(kBehaviour)->text;
      behaviour = behaviours.find(name);
      if (behaviour == kNoBehaviour) {
        r.issue(kBehaviour, "unknown behaviour", "'" + name + "' is not a profile in the configuration");
      } else {
        const BehaviourType wanted =
            *kind == PositionKind::kNmd ? BehaviourType::kDeposit : BehaviourType::kPrepayment;
        if (behaviours.type[static_cast<std::size_t>(behaviour)] != wanted) {
          r.issue(kBehaviour, "wrong behaviour type",
                  "'" + name + "' is a " +
                      (wanted == BehaviourType::kDeposit ? "prepayment" : "deposit") +
                      " profile; " + kind_name + " needs a " +
                      (wanted == BehaviourType::kDeposit ? "deposit" : "prepayment") + " profile");
        }
      }
    }
    if (!r.ok()) continue;

    p.ids.push_back(id);
    p.source_line.push_back(row.line);
    p.segment.push_back(intern(p.segments, r.present(kSegment) ? r.cell(kSegment)->text : "unassigned"));
    p.currency.push_back(intern(p.currencies, r.cell(kCurrency)->text));
    p.kind.push_back(*kind);
    p.side.push_back(*side);
    p.amortization.push_back(amortization);
    p.day_count.push_back(day_count);
    p.swap_leg.push_back(leg);
    p.nmd_category.push_back(category);
    p.floating.push_back(floating ? 1 : 0);
    p.start_day.push_back(start ? start->days : 0);
    p.maturity_day.push_back(maturity ? maturity->days : 0);
    p.payment_months.push_back(payment);
    p.reset_months.push_back(reset);
    p.index_tenor_months.push_back(tenor);
    p.behaviour.push_back(behaviour);
    p.notional.push_back(*notional);
    p.rate.push_back(rate);
    p.spread.push_back(spread);
    p.cap_rate.push_back(cap);
    p.floor_rate.push_back(floor);
    p.strike.push_back(strike);
  }
  if (rows == 0 && issues.empty()) issues.push_back({file, 0, 0, "empty file", "no positions"});
  if (bad_rows_beyond_cap > 0) {
    issues.push_back({file, 0, 0, "too many problems",
                      "stopped after " + std::to_string(kMaxReportedIssues) + "; " +
                          std::to_string(bad_rows_beyond_cap) + " more rows were not checked"});
  }
  return p;
}

Portfolio read_positions_csv(const std::string& file, const BehaviourTable& behaviours,
                             std::optional<Date> valuation_date, const std::atomic<bool>* stop) {
  std::vector<InputIssue> issues;
  Portfolio p = read_positions_csv(file, behaviours, valuation_date, stop, issues);
  if (!issues.empty()) throw InputError(std::move(issues));
  return p;
}

}  // namespace ratesim
