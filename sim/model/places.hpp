#pragma once
// Places: US jurisdictions (states + DC) and foreign countries, as data.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace licsim {

/// One US jurisdiction, as read from the jurisdictions file. Optional fields are
/// empty in the file where no source gave a value; the scenario's national
/// regulator defaults then apply.
struct JurisdictionData {
  std::string code;  ///< USPS two-letter code
  std::string name;
  double population = 0;
  double rural_share = 0;  ///< 0..1
  double active_physicians = 0;
  double medicare_share = 0;  ///< Medicare enrollees / population
  std::vector<std::string> neighbours;
  std::optional<double> license_fee_usd;
  std::optional<double> processing_days_low;
  std::optional<double> processing_days_high;
  std::optional<double> renewal_fee_usd;
  std::optional<double> renewal_cycle_years;
  /// Share of residents living in a county that touches each neighbour, by neighbour code
  /// (the border-counties file); the rest live in the interior.
  std::vector<std::pair<std::string, double>> border_shares;
};

/// A foreign country where US-licensed clinicians may live and US patients may travel.
struct ForeignLocationData {
  std::string code;  ///< ISO 3166-1 alpha-3, so it never collides with a state code
  std::string name;
  double us_licensed_physicians = 0;
  double travel_destination_weight = 0;
};

/// The places of a run: US jurisdictions first (indices 0..n_us-1), then foreign
/// locations. A place index fits in 8 bits; authorizations are a 64-bit mask
/// over US jurisdictions.
struct Places {
  std::vector<JurisdictionData> us;
  std::vector<ForeignLocationData> foreign;
  std::size_t size() const { return us.size() + foreign.size(); }
  bool is_us(std::size_t place) const { return place < us.size(); }
  const std::string& code(std::size_t place) const {
    return place < us.size() ? us[place].code : foreign[place - us.size()].code;
  }
  std::optional<std::size_t> find(const std::string& code) const;
};

inline constexpr std::size_t max_us_jurisdictions = 64;
/// Place indices are 8-bit: jurisdictions and foreign locations together.
inline constexpr std::size_t max_places = 255;

}  // namespace licsim
