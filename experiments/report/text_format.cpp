#include "experiments/report/text_format.hpp"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace nas {

std::string printf_string(const char* format, ...) {
  char buffer[512];
  va_list arguments;
  va_start(arguments, format);
  std::vsnprintf(buffer, sizeof buffer, format, arguments);
  va_end(arguments);
  return buffer;
}

std::string abbreviated_count(std::int64_t count) {
  const double value = static_cast<double>(count);
  if (value >= 1e9) return printf_string("%.2fG", value / 1e9);
  if (value >= 1e6) return printf_string("%.2fM", value / 1e6);
  if (value >= 1e3) return printf_string("%.2fK", value / 1e3);
  return std::to_string(count);
}

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (const char byte : text) width += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;  // not a continuation
  return width;
}

std::string mean_std_text(double mean, double std) {
  return printf_string(std::abs(mean) < 10 ? "%.4f ± %.4f" : "%.1f ± %.1f", mean, std);
}

std::string utc_time_text(double epoch_seconds) {
  const std::time_t seconds = static_cast<std::time_t>(std::floor(epoch_seconds));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace nas
