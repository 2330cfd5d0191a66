#pragma once
// Patients, held as strata of identical patients: a patient is an index into a
// contiguous range of its stratum. Per-patient mutable state is only the usual
// clinician; everything else follows from the stratum or from counter-based
// streams keyed by the patient.
#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "model/model_params.hpp"
#include "model/places.hpp"
#include "model/types.hpp"

namespace licsim {

struct Stratum {
  std::uint8_t home;  ///< US jurisdiction index
  std::uint8_t age_band;
  std::uint8_t payer;
  std::uint8_t rural;
  std::uint8_t lep;
  PatientId first;
  std::uint32_t size;
};

class Population {
 public:
  /// Builds strata from jurisdiction data at `scale` agents per person.
  Population(const Places& places, const ModelParams& params, double scale);
  /// The people in the largest stratum at full scale: a scale gives no patient
  /// at all below 0.5 / largest_stratum (every stratum rounds to 0).
  static double largest_stratum(const Places& places, const ModelParams& params);

  const std::vector<Stratum>& strata() const { return strata_; }
  std::uint64_t size() const { return size_; }

  /// Where patient `patient` of `stratum` is on `day` (a place index), from
  /// part-year residence and travel. Depends only on (seed, replicate, patient, day).
  std::uint8_t location(std::uint64_t seed, std::uint32_t replicate, const Stratum& stratum,
                        PatientId patient, int day, unsigned calendar_month) const;

  /// The neighbouring state whose line the patient lives on (a border county of
  /// it, drawn with the border-counties file's shares), or `interior`. A trait
  /// of the patient: depends only on (seed, replicate, patient).
  static constexpr std::uint8_t interior = 255;
  std::uint8_t border_state(std::uint64_t seed, std::uint32_t replicate, const Stratum& stratum,
                            PatientId patient) const;

 private:
  std::uint8_t travel_destination(Stream& rng, std::uint8_t home) const;

  const Places& places_;
  const ModelParams& params_;
  std::vector<Stratum> strata_;
  std::uint64_t size_ = 0;
  std::vector<double> us_population_cumulative_;
  std::vector<double> foreign_cumulative_;
  std::vector<double> snowbird_cumulative_;
  std::vector<std::uint8_t> snowbird_places_;
  /// By US jurisdiction: cumulative border shares and the neighbour of each.
  std::vector<std::vector<double>> border_cumulative_;
  std::vector<std::vector<std::uint8_t>> border_places_;
};

}  // namespace licsim
