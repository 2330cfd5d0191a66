#include <doctest/doctest.h>

#include "engine/boards.hpp"
#include "engine/locums.hpp"
#include "engine/metrics.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

/// The regimes' world, its boards and its locums; records what the locums apply for.
struct World : test::RegimeWorld {
  Boards boards;
  LocumLicensing locums;
  World(const std::vector<std::string>& overrides, int days = 400)
      : RegimeWorld(overrides, days),
        boards(params, scenario.places, workforce, regimes, 0.001, days, 1, 0),
        locums(params, scenario.places, workforce, 1, 0) {}

  struct Applied {
    double applications = 0;
    std::vector<double> by_pathway = std::vector<double>(pathway_count, 0.0);
  };
  /// Runs `days` days of assignments (no reviews), summing the applications.
  Applied run(int days) {
    Applied a;
    for (int day = 0; day < days; ++day) {
      boards.new_day();
      const auto before = workforce.pending;
      locums.assign(day, workforce, boards, regimes);
      for (ClinicianId c = 0; c < workforce.size(); ++c) {
        const auto added = workforce.pending[c] & ~before[c];
        if (added == 0) continue;
        // Only locums apply, and never where they already hold a license.
        CHECK(std::binary_search(locums.locums().begin(), locums.locums().end(), c));
        CHECK((added & workforce.active[c]) == 0);
      }
      for (std::size_t j = 0; j < 51; ++j) {
        a.applications += boards.ledger()[j * daily_metric_count + m_applications_submitted];
        for (int p = 0; p < pathway_count; ++p)
          a.by_pathway[static_cast<std::size_t>(p)] +=
              boards.pathway_ledger()[(j * pathway_count + static_cast<std::size_t>(p)) * pathway_metric_count + pm_applications];
      }
    }
    return a;
  }
};

}  // namespace

TEST_CASE("locums: the share of domestic physicians drawn as locums follows licensing.locum_share") {
  World none({"licensing.locum_share=0"});
  CHECK(none.locums.locums().empty());
  World half({"licensing.locum_share=0.5"});
  std::size_t domestic = 0;
  for (ClinicianId c = 0; c < half.workforce.size(); ++c) domestic += !half.workforce.is_abroad(c);
  const double share = static_cast<double>(half.locums.locums().size()) / static_cast<double>(domestic);
  CHECK(share == doctest::Approx(0.5).epsilon(0.05));
  for (ClinicianId c : half.locums.locums()) CHECK_FALSE(half.workforce.is_abroad(c));
}

TEST_CASE("locums: applications grow with the assignment rate, none without locums or assignments") {
  World quiet({"licensing.locum_share=0.2", "licensing.locum_assignments_per_year=0"});
  CHECK(quiet.run(60).applications == 0);
  World no_locums({"licensing.locum_share=0", "licensing.locum_assignments_per_year=5"});
  CHECK(no_locums.run(60).applications == 0);

  World some({"licensing.locum_share=0.2", "licensing.locum_assignments_per_year=1"});
  World more({"licensing.locum_share=0.2", "licensing.locum_assignments_per_year=4"});
  const double a = some.run(60).applications, b = more.run(60).applications;
  // Expected: locums x rate x 60/365, less the assignments where a license is held.
  const double assignments = static_cast<double>(some.locums.locums().size()) * 1.0 * 60.0 / 365.0;
  CHECK(a > 0);
  CHECK(a <= assignments * 1.5 + 5);
  CHECK(b > 2.5 * a);
}

TEST_CASE("locums: only routes that allow in-person practice; the compact where eligible") {
  // Registration states offer telemedicine-only registrations: a locum never takes one.
  World world({"licensing.locum_share=0.3", "licensing.locum_assignments_per_year=6", "registration.enabled=true",
               "compact.enabled=true"});
  const auto applied = world.run(60);
  CHECK(applied.applications > 0);
  CHECK(applied.by_pathway[static_cast<std::size_t>(Pathway::registration)] == 0);
  // A day sooner is worth a day of in-person work, so eligible locums between member
  // states go through the compact.
  CHECK(applied.by_pathway[static_cast<std::size_t>(Pathway::compact)] > 0);
  CHECK(applied.by_pathway[static_cast<std::size_t>(Pathway::full_license)] > 0);

  World without({"licensing.locum_share=0.3", "licensing.locum_assignments_per_year=6", "registration.enabled=true"});
  CHECK(without.run(60).by_pathway[static_cast<std::size_t>(Pathway::compact)] == 0);
}
