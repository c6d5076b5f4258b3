// Fashion-MNIST loading, the validation split and the IDX reader's checks.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/idx_reader.hpp"
#include "evaluators/datasets/npy_reader.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/datasets/validation_split.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/test_mlp_space.hpp"

namespace nas {
namespace {

using evaluator_testing::parse_config;
namespace fs = std::filesystem;

using nas::testing::error_of;

std::shared_ptr<const ImageDataset> load(const std::string& dataset_yaml, std::uint64_t seed = 1) {
  return load_dataset(parse_config("dataset: " + dataset_yaml).section("dataset"), seed);
}

// A fresh directory under the test's temporary folder.
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("nas_dataset_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_gz(const fs::path& path, const std::vector<unsigned char>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(file);
}

// An IDX file of unsigned bytes: magic, dimensions, then `payload` bytes (fewer than promised to truncate).
std::vector<unsigned char> idx_bytes(std::uint32_t magic, const std::vector<std::uint32_t>& dims,
                                     std::size_t payload) {
  std::vector<unsigned char> bytes;
  auto put = [&](std::uint32_t word) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<unsigned char>(word >> shift));
  };
  put(magic);
  for (auto dim : dims) put(dim);
  for (std::size_t i = 0; i < payload; ++i) bytes.push_back(static_cast<unsigned char>(i % 10));
  return bytes;
}

TEST(Dataset, FashionMnistSplitSizesShapesAndRange) {
  const auto dataset = load("{name: fashion-mnist, train_subset: 10000, validation: 2000}");
  EXPECT_EQ(dataset->name, "fashion-mnist");
  EXPECT_EQ(dataset->class_names.size(), 10u);
  EXPECT_EQ(dataset->class_names[9], "Ankle boot");
  EXPECT_EQ(dataset->shape.channels, 1);
  EXPECT_EQ(dataset->shape.height, 28);
  EXPECT_EQ(dataset->shape.width, 28);
  EXPECT_EQ(dataset->shape.classes, 10);

  EXPECT_EQ(dataset->train_images.sizes(), (std::vector<std::int64_t>{10000, 1, 28, 28}));
  EXPECT_EQ(dataset->train_labels.sizes(), (std::vector<std::int64_t>{10000}));
  EXPECT_EQ(dataset->val_images.sizes(), (std::vector<std::int64_t>{2000, 1, 28, 28}));
  EXPECT_EQ(dataset->val_labels.sizes(), (std::vector<std::int64_t>{2000}));
  EXPECT_EQ(dataset->test_images.sizes(), (std::vector<std::int64_t>{10000, 1, 28, 28}));
  EXPECT_EQ(dataset->test_labels.sizes(), (std::vector<std::int64_t>{10000}));

  for (const auto* images : {&dataset->train_images, &dataset->val_images, &dataset->test_images}) {
    EXPECT_EQ(images->scalar_type(), torch::kFloat32);
    EXPECT_GE(images->min().item<float>(), 0.0f);
    EXPECT_LE(images->max().item<float>(), 1.0f);
    EXPECT_GT(images->max().item<float>(), 0.99f);  // scaled from 0..255, not left at 0..1/255
  }
  for (const auto* labels : {&dataset->train_labels, &dataset->val_labels, &dataset->test_labels}) {
    EXPECT_EQ(labels->scalar_type(), torch::kInt64);
    EXPECT_EQ(labels->min().item<std::int64_t>(), 0);
    EXPECT_EQ(labels->max().item<std::int64_t>(), 9);
  }
  // Fashion-MNIST's known pixel statistics, within what a 10,000-image subset varies.
  EXPECT_EQ(dataset->mean.sizes(), (std::vector<std::int64_t>{1}));
  EXPECT_NEAR(dataset->mean.item<float>(), 0.286f, 0.01f);
  EXPECT_NEAR(dataset->std.item<float>(), 0.353f, 0.01f);
}

TEST(Dataset, TrainSubsetZeroTakesAllThatValidationLeaves) {
  const auto dataset = load("{name: fashion-mnist, train_subset: 0, validation: 5000}");
  EXPECT_EQ(dataset->train_images.size(0), 55000);
  EXPECT_EQ(dataset->val_images.size(0), 5000);
}

// Each synthetic image encodes its own index in two pixels, so the split can be checked by index.
struct IndexedImages {
  torch::Tensor images, labels;
};
IndexedImages indexed_images(std::int64_t count) {
  auto index = torch::arange(count, torch::kInt64);
  auto images = torch::stack({index.div(256, "floor"), index.remainder(256)}, 1).to(torch::kUInt8).view({count, 1, 1, 2});
  return {images, index.remainder(10)};
}
std::vector<std::int64_t> indices_of(const torch::Tensor& unit_images) {
  auto pixels = (unit_images.view({-1, 2}) * 255).round().to(torch::kInt64);
  auto index = pixels.select(1, 0) * 256 + pixels.select(1, 1);
  return std::vector<std::int64_t>(index.data_ptr<std::int64_t>(), index.data_ptr<std::int64_t>() + index.numel());
}

TEST(Dataset, ValidationIsDisjointFromTrainSubsetAndSeeded) {
  const auto section = parse_config("dataset: {train_subset: 700, validation: 300}").section("dataset");
  const IndexedImages all = indexed_images(1200);
  auto split = [&](std::uint64_t seed) {
    ImageDataset dataset;
    dataset.name = "indexed";
    split_training_images(dataset, all.images, all.labels, read_split_sizes(section), section, seed);
    return dataset;
  };
  const ImageDataset first = split(5);
  const auto train = indices_of(first.train_images);
  const auto val = indices_of(first.val_images);
  ASSERT_EQ(train.size(), 700u);
  ASSERT_EQ(val.size(), 300u);
  const std::set<std::int64_t> train_set(train.begin(), train.end()), val_set(val.begin(), val.end());
  EXPECT_EQ(train_set.size(), 700u);
  EXPECT_EQ(val_set.size(), 300u);
  for (auto i : val) EXPECT_EQ(train_set.count(i), 0u) << "image " << i << " is in both";
  // Labels travel with their images.
  EXPECT_TRUE(first.train_labels.equal(torch::tensor(train, torch::kInt64).remainder(10)));

  EXPECT_EQ(indices_of(split(5).val_images), val);
  EXPECT_NE(indices_of(split(6).val_images), val);
}

TEST(Dataset, MissingDirectoryNamesKeyPathAndHint) {
  const std::string message = error_of([] { load("{name: fashion-mnist, path: /nonexistent/fmnist}"); });
  EXPECT_NE(message.find("dataset.path"), std::string::npos) << message;
  EXPECT_NE(message.find("/nonexistent/fmnist"), std::string::npos) << message;
  EXPECT_NE(message.find("train-images-idx3-ubyte.gz"), std::string::npos) << message;
  EXPECT_NE(message.find("apt-get install dataset-fashion-mnist"), std::string::npos) << message;
}

TEST(Dataset, MissingFileNamesIt) {
  const fs::path dir = scratch_dir("missing_file");
  const std::string message = error_of([&] { load("{name: fashion-mnist, path: " + dir.string() + "}"); });
  EXPECT_NE(message.find((dir / "train-images-idx3-ubyte.gz").string()), std::string::npos) << message;
  EXPECT_NE(message.find("dataset.path"), std::string::npos) << message;
  EXPECT_NE(message.find("apt-get install dataset-fashion-mnist"), std::string::npos) << message;
}

TEST(Dataset, WrongMagicNumberNamesFile) {
  const fs::path file = scratch_dir("magic") / "images.gz";
  write_gz(file, idx_bytes(2049, {3, 2, 2}, 12));
  const std::string message = error_of([&] { read_idx_gz(file.string(), idx_images_magic); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("magic number 2049, expected 2051"), std::string::npos) << message;
}

TEST(Dataset, TruncatedFileNamesFile) {
  const fs::path dir = scratch_dir("truncated");
  write_gz(dir / "data.gz", idx_bytes(2051, {3, 2, 2}, 7));
  std::string message = error_of([&] { read_idx_gz((dir / "data.gz").string(), idx_images_magic); });
  EXPECT_NE(message.find((dir / "data.gz").string()), std::string::npos) << message;
  EXPECT_NE(message.find("truncated: expected 12 bytes of data, got 7"), std::string::npos) << message;

  write_gz(dir / "header.gz", {0, 0, 8, 3, 0, 0});
  message = error_of([&] { read_idx_gz((dir / "header.gz").string(), idx_images_magic); });
  EXPECT_NE(message.find((dir / "header.gz").string()), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;

  const IdxArray whole = [&] {
    write_gz(dir / "whole.gz", idx_bytes(2051, {3, 2, 2}, 12));
    return read_idx_gz((dir / "whole.gz").string(), idx_images_magic);
  }();
  EXPECT_EQ(whole.dims, (std::vector<std::int64_t>{3, 2, 2}));
  EXPECT_EQ(whole.data.size(), 12u);
}

TEST(Dataset, LabelCountNotMatchingImagesNamesBothFiles) {
  const fs::path dir = scratch_dir("mismatch");
  write_gz(dir / "train-images-idx3-ubyte.gz", idx_bytes(2051, {50, 4, 4}, 50 * 16));
  write_gz(dir / "train-labels-idx1-ubyte.gz", idx_bytes(2049, {49}, 49));
  write_gz(dir / "t10k-images-idx3-ubyte.gz", idx_bytes(2051, {5, 4, 4}, 5 * 16));
  write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes(2049, {5}, 5));
  const std::string yaml = "{name: fashion-mnist, validation: 10, train_subset: 20, path: " + dir.string() + "}";
  std::string message = error_of([&] { load(yaml); });
  EXPECT_NE(message.find((dir / "train-labels-idx1-ubyte.gz").string() + ": holds 49 labels but"), std::string::npos)
      << message;
  EXPECT_NE(message.find("train-images-idx3-ubyte.gz holds 50 images"), std::string::npos) << message;

  // The same files with matching counts load, at their own image size.
  write_gz(dir / "train-labels-idx1-ubyte.gz", idx_bytes(2049, {50}, 50));
  const auto dataset = load(yaml);
  EXPECT_EQ(dataset->train_images.sizes(), (std::vector<std::int64_t>{20, 1, 4, 4}));
  EXPECT_EQ(dataset->shape.height, 4);
}

TEST(Dataset, SplitLargerThanTrainingSetNamesKey) {
  const std::string message = error_of([] { load("{name: fashion-mnist, train_subset: 59000, validation: 2000}"); });
  EXPECT_NE(message.find("dataset.train_subset"), std::string::npos) << message;
  EXPECT_NE(message.find("60000"), std::string::npos) << message;
}

TEST(Dataset, UnknownNameAndUnknownKeyAreReported) {
  std::string message = error_of([] { load("{name: fashion-mnst}"); });
  EXPECT_NE(message.find("did you mean 'fashion-mnist'"), std::string::npos) << message;
  message = error_of([] { load("{name: fashion-mnist, train_subset: 100, validaton: 100}"); });
  EXPECT_NE(message.find("unknown key 'validaton'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'validation'"), std::string::npos) << message;
}

}  // namespace
}  // namespace nas

namespace nas {
namespace {

// Headers that promise more than any dataset holds are refused by what they promise, before the
// memory is asked for (they gave std::bad_alloc, naming nothing).
TEST(DamagedHeaders, AnIdxHeaderPromisingGigabytesIsRefusedNamingTheFile) {
  const fs::path file = scratch_dir("huge_idx") / "images.gz";
  write_gz(file, idx_bytes(2051, {4294967295u, 28, 28}, 16));
  const std::string message = error_of([&] { read_idx_gz(file.string(), idx_images_magic); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("promise 3367254359280 bytes of data, over the 1073741824 this reader accepts"),
            std::string::npos)
      << message;
}

TEST(DamagedHeaders, AnNpyHeaderLengthPastTheFileIsRefused) {
  const fs::path file = scratch_dir("huge_npy") / "train_x.npy";
  // Version 2: a 4-byte header length, here 0xFFFFFFF0, then a few bytes.
  const std::string bytes = std::string("\x93NUMPY\x02\x00", 8) + std::string("\xF0\xFF\xFF\xFF", 4) + "{'descr': '|u1'}";
  std::ofstream(file, std::ios::binary) << bytes;
  const std::string message = error_of([&] { read_npy_header(file.string()); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("the .npy header length is 4294967280 bytes, past the file's"), std::string::npos) << message;
}

}  // namespace
}  // namespace nas
