#pragma once
// Numbers and times as the outputs people read (`nas inspect`, `nas ls`, the HTML report) show them.
#include <cstddef>
#include <cstdint>
#include <string>

namespace nas {

// printf into a std::string (up to 511 bytes; longer output is cut).
std::string printf_string(const char* format, ...) __attribute__((format(printf, 1, 2)));

// 1234567 -> "1.23M": parameter and multiply-add counts span six orders of magnitude.
std::string abbreviated_count(std::int64_t count);

// The columns `text` takes in a terminal: its UTF-8 characters, not its bytes ("±" is two bytes, one
// column), so that tables holding them stay aligned.
std::size_t display_width(const std::string& text);

// "0.8277 ± 0.0039": a mean and standard deviation over repeats; four decimals for accuracies and
// losses, one for figures of 10 or more (epochs, seconds), which would otherwise print noise digits.
std::string mean_std_text(double mean, double std);

// Seconds since the Unix epoch as ISO-8601 UTC to the second, e.g. "2026-11-26T14:12:05Z".
std::string utc_time_text(double epoch_seconds);

}  // namespace nas
