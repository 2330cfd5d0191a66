#include "core/errors.hpp"

#include <sstream>

namespace licsim {

std::string printable(std::string_view text, std::size_t max_chars) {
  static constexpr char hex[] = "0123456789abcdef";
  const std::size_t n = text.size();
  const std::size_t shown = max_chars > 0 && n > max_chars ? max_chars : n;
  std::string out;
  out.reserve(shown + 16);
  const auto escape_byte = [&](unsigned char c) {
    out += "\\x";
    out += hex[c >> 4];
    out += hex[c & 15];
  };
  for (std::size_t i = 0; i < shown;) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      if (c == '\n') out += "\\n";
      else if (c == '\t') out += "\\t";
      else if (c == '\r') out += "\\r";
      else escape_byte(c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // A UTF-8 sequence passes unchanged if it is well formed (and not a C1 control).
    const std::size_t len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    if (ok && len == 3) {
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xe0 && c1 < 0xa0) && !(c == 0xed && c1 >= 0xa0);  // overlong, surrogate
    }
    if (ok && len == 4) {
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xf0 && c1 < 0x90) && !(c == 0xf4 && c1 >= 0x90);  // overlong, beyond U+10FFFF
    }
    if (!ok) {
      escape_byte(c);
      ++i;
      continue;
    }
    if (len == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) {  // U+0080..U+009F
      out += "\\u00";
      const auto cp = static_cast<unsigned char>(text[i + 1]);
      out += hex[cp >> 4];
      out += hex[cp & 15];
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  if (shown < n) out += "... (" + std::to_string(n) + " characters)";
  return out;
}

namespace {
std::string format_scenario_error(const std::string& file, int line, const std::string& key,
                                  const std::string& problem) {
  std::ostringstream out;
  out << printable(file, 0);
  if (line > 0) out << ':' << line;
  if (!key.empty()) out << ": key '" << printable(key) << '\'';
  out << ": " << problem;
  return out.str();
}
}  // namespace

ScenarioError::ScenarioError(std::string file, int line, std::string key, std::string problem)
    : Error(format_scenario_error(file, line, key, problem)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)) {}

}  // namespace licsim
