#include "model/places.hpp"

namespace licsim {

std::optional<std::size_t> Places::find(const std::string& code) const {
  for (std::size_t i = 0; i < size(); ++i)
    if (this->code(i) == code) return i;
  return std::nullopt;
}

}  // namespace licsim
