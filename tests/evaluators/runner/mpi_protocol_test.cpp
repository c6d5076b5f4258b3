// The frames ranks exchange: a header and binary blobs come back as sent, and a damaged frame (from a
// rank running another build, or a cut message) is refused with what is wrong, never read past its end.
#include <gtest/gtest.h>

#include "../../support/scratch.hpp"
#include "evaluators/runner/mpi_protocol.hpp"

namespace nas {
namespace {

using testing::error_of;

TEST(MpiFrame, HeaderAndBlobsComeBackAsSent) {
  const std::string weights("\0\x01\xff weights", 10);
  const MpiFrame sent{Json{{"session", 3}, {"result", {{"id", 7}}}}, {weights, "", "records"}};
  const MpiFrame received = decode_frame(encode_frame(sent), "rank 1");
  EXPECT_EQ(received.header, sent.header);
  EXPECT_EQ(received.blobs, sent.blobs);
}

TEST(MpiFrame, ADamagedFrameIsRefusedNamingTheRank) {
  const std::string bytes = encode_frame(MpiFrame{Json{{"session", 1}}, {"0123456789"}});
  EXPECT_NE(error_of([&] { decode_frame(bytes.substr(0, 5), "rank 2"); }).find("too short"), std::string::npos);
  EXPECT_NE(error_of([&] { decode_frame(bytes.substr(0, bytes.size() - 1), "rank 2"); }).find("rank 2: sent a frame whose blob sizes overrun it"),
            std::string::npos);
  EXPECT_NE(error_of([&] { decode_frame(bytes + "x", "rank 2"); }).find("past its blobs"), std::string::npos);
  std::string long_header = bytes;
  long_header[6] = '\x7f';  // a header length far past the end
  EXPECT_NE(error_of([&] { decode_frame(long_header, "rank 2"); }).find("past its end"), std::string::npos);
  std::string not_json = bytes;
  not_json[8] = '#';
  EXPECT_NE(error_of([&] { decode_frame(not_json, "rank 2"); }).find("not JSON"), std::string::npos);
}

}  // namespace
}  // namespace nas
