#pragma once
// What licensure costs a clinician and what a telemedicine visit pays them:
// one formula each, for applications, renewals and the weighing of pathways.
#include "model/model_params.hpp"

namespace licsim {

/// A fee plus the clinician's hours of paperwork at their hourly value (USD).
inline double licensure_cost_usd(const ModelParams& params, double fee_usd, double paperwork_hours) {
  return fee_usd + paperwork_hours * params.hourly_value_usd;
}

/// Renewing a license of regulator `reg`: its fee and the renewal paperwork.
inline double renewal_cost_usd(const ModelParams& params, const RegulatorParams& reg) {
  return licensure_cost_usd(params, reg.renewal_fee_usd, params.renewal_paperwork_hours);
}

/// What a telemedicine visit of specialty `sp` pays the clinician after the
/// platform's commission.
inline double net_telehealth_price_usd(const SpecialtyParams& sp, double commission_share) {
  return sp.price_telehealth_usd * (1.0 - commission_share);
}

}  // namespace licsim
