// The `npy` dataset (a folder of NumPy .npy files, the Unseen-NAS layout): loading, scaling, the
// metadata file, the shape read from headers for drawings, and each refusal of a bad folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/datasets/npy_reader.hpp"
#include "tests/support/npy_writer.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/test_mlp_space.hpp"

namespace nas {
namespace {

using evaluator_testing::parse_config;
using nas::testing::error_of;
using nas::testing::npy_bytes;
using nas::testing::NpyFile;
using nas::testing::write_npy;
namespace fs = std::filesystem;

// uint8 images [n, 2, 3, 4] whose pixels count up from `first`, so that every image differs.
NpyFile byte_images(std::int64_t n, int first = 0) {
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(n * 24));
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>((first + i) % 256);
  return NpyFile{"|u1", {n, 2, 3, 4}, npy_bytes(pixels)};
}

NpyFile int64_labels(const std::vector<std::int64_t>& labels) {
  return NpyFile{"<i8", {static_cast<std::int64_t>(labels.size())}, npy_bytes(labels)};
}

class NpyDataset : public nas::testing::ScratchDirTest {
 protected:
  // A valid folder: 6 training, 4 validation and 3 test images of 2x3x4, labels 0..2.
  void SetUp() override {
    ScratchDirTest::SetUp();
    folder_ = root() / "addnist";
    fs::create_directories(folder_);
    write("train_x.npy", byte_images(6));
    write("train_y.npy", int64_labels({0, 1, 2, 0, 1, 2}));
    write("valid_x.npy", byte_images(4, 100));
    std::vector<std::int32_t> valid_labels{2, 2, 1, 0};
    write("valid_y.npy", NpyFile{"<i4", {4}, npy_bytes(valid_labels)});
    write("test_x.npy", byte_images(3, 200));
    std::vector<std::uint8_t> test_labels{1, 0, 2};
    write("test_y.npy", NpyFile{"|u1", {3}, npy_bytes(test_labels)});
  }
  void write(const std::string& name, const NpyFile& file) { write_npy((folder_ / name).string(), file); }
  void write_metadata(const std::string& json) { std::ofstream(folder_ / "metadata") << json; }
  std::string file(const std::string& name) const { return (folder_ / name).string(); }
  ConfigNode section(const std::string& extra = "") const {
    return parse_config("dataset: {name: npy, path: " + folder_.string() + extra + "}").section("dataset");
  }
  std::shared_ptr<const ImageDataset> load(const std::string& extra = "", std::uint64_t seed = 1) const {
    return load_dataset(section(extra), seed);
  }
  // The message of loading the folder, which must name `file_name` and say `what`.
  void expect_refused(const std::string& file_name, const std::string& what) const {
    const std::string message = error_of([&] { load(); });
    EXPECT_NE(message.find(file(file_name)), std::string::npos) << message;
    EXPECT_NE(message.find(what), std::string::npos) << message;
  }

  fs::path folder_;
};

TEST_F(NpyDataset, LoadsTheGivenSplitsWithBytesScaledToUnitRange) {
  const auto dataset = load();
  EXPECT_EQ(dataset->name, "addnist");  // the folder's name without metadata
  EXPECT_EQ(dataset->shape.channels, 2);
  EXPECT_EQ(dataset->shape.height, 3);
  EXPECT_EQ(dataset->shape.width, 4);
  EXPECT_EQ(dataset->shape.classes, 3);  // the largest label + 1
  EXPECT_EQ(dataset->class_names, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(dataset->train_images.sizes(), (std::vector<std::int64_t>{6, 2, 3, 4}));
  EXPECT_EQ(dataset->val_images.sizes(), (std::vector<std::int64_t>{4, 2, 3, 4}));
  EXPECT_EQ(dataset->test_images.sizes(), (std::vector<std::int64_t>{3, 2, 3, 4}));
  // All of train_x in file order (no subset asked for), pixel i of the file = i / 255.
  EXPECT_EQ(dataset->train_images.scalar_type(), torch::kFloat32);
  EXPECT_FLOAT_EQ(dataset->train_images.flatten()[30].item<float>(), 30.0f / 255.0f);
  EXPECT_FLOAT_EQ(dataset->val_images.flatten()[0].item<float>(), 100.0f / 255.0f);
  EXPECT_EQ(dataset->input_range, (std::vector<double>{0.0, 1.0}));
  // int64, int32 and uint8 labels all become int64, in order.
  EXPECT_TRUE(dataset->train_labels.equal(torch::tensor({0, 1, 2, 0, 1, 2}, torch::kInt64)));
  EXPECT_TRUE(dataset->val_labels.equal(torch::tensor({2, 2, 1, 0}, torch::kInt64)));
  EXPECT_TRUE(dataset->test_labels.equal(torch::tensor({1, 0, 2}, torch::kInt64)));
  EXPECT_EQ(dataset->mean.sizes(), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(dataset->mean.allclose(dataset->train_images.mean({0, 2, 3})));
}

TEST_F(NpyDataset, SubsetKeysDrawSeededSubsetsOfTheGivenSplits) {
  const auto first = load(", train_subset: 4, validation: 2", 7);
  EXPECT_EQ(first->train_images.size(0), 4);
  EXPECT_EQ(first->val_images.size(0), 2);
  EXPECT_EQ(first->test_images.size(0), 3);  // the test split is never cut
  EXPECT_TRUE(load(", train_subset: 4, validation: 2", 7)->train_images.equal(first->train_images));
  // The images differ, so another seed draws another subset (or order) of them.
  EXPECT_FALSE(load(", train_subset: 4, validation: 2", 8)->train_images.equal(first->train_images));

  std::string message = error_of([&] { load(", train_subset: 7"); });
  EXPECT_NE(message.find("dataset.train_subset"), std::string::npos) << message;
  EXPECT_NE(message.find("holds 6"), std::string::npos) << message;
  message = error_of([&] { load(", validation: 5"); });
  EXPECT_NE(message.find("dataset.validation"), std::string::npos) << message;
  EXPECT_NE(message.find("holds 4"), std::string::npos) << message;
}

TEST_F(NpyDataset, FloatImagesAreKeptAsStoredInAnyFormatVersion) {
  for (const char* split : {"train", "valid", "test"}) {
    const std::int64_t n = std::string(split) == "train" ? 6 : std::string(split) == "valid" ? 4 : 3;
    std::vector<float> pixels(static_cast<std::size_t>(n * 24));
    std::iota(pixels.begin(), pixels.end(), -10.5f);
    NpyFile images{"<f4", {n, 2, 3, 4}, npy_bytes(pixels)};
    images.major_version = std::string(split) == "valid" ? 2 : std::string(split) == "test" ? 3 : 1;
    write(std::string(split) + "_x.npy", images);
  }
  const auto dataset = load();
  EXPECT_FLOAT_EQ(dataset->train_images.flatten()[0].item<float>(), -10.5f);
  EXPECT_FLOAT_EQ(dataset->test_images.flatten()[71].item<float>(), 60.5f);
  EXPECT_TRUE(dataset->input_range.empty());  // model.json then says "as stored"
}

TEST_F(NpyDataset, MetadataGivesClassesAndNameAndIsChecked) {
  write_metadata(R"({"num_classes": 20, "input_shape": [6, 2, 3, 4], "codename": "Adaline", "benchmark": 89.85})");
  const auto dataset = load();
  EXPECT_EQ(dataset->shape.classes, 20);
  EXPECT_EQ(dataset->class_names.size(), 20u);
  EXPECT_EQ(dataset->name, "Adaline");

  write_metadata(R"({"num_classes": 2})");
  std::string message = error_of([&] { load(); });
  EXPECT_NE(message.find(file("train_y.npy") + ": label 2 of example 2 is not a class: classes are 0..1"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("num_classes in " + file("metadata")), std::string::npos) << message;

  write_metadata(R"({"num_classes": 3, "input_shape": [6, 3, 32, 32]})");
  message = error_of([&] { load(); });
  EXPECT_NE(message.find(file("metadata")), std::string::npos) << message;
  EXPECT_NE(message.find("does not end in the images' C, H, W [2, 3, 4]"), std::string::npos) << message;

  write_metadata("{not json");
  message = error_of([&] { load(); });
  EXPECT_NE(message.find(file("metadata") + ": the metadata file is not valid JSON"), std::string::npos) << message;
}

TEST_F(NpyDataset, ShapeForDrawingsComesFromHeadersAndLabels) {
  const DatasetShapeReader* reader = dataset_shape_registry().find("npy");
  ASSERT_NE(reader, nullptr);
  const TaskShape shape = (*reader)(section());
  EXPECT_EQ(shape.channels, 2);
  EXPECT_EQ(shape.height, 3);
  EXPECT_EQ(shape.width, 4);
  EXPECT_EQ(shape.classes, 3);
}

TEST_F(NpyDataset, MissingFolderOrFileIsNamed) {
  fs::remove(folder_ / "valid_y.npy");
  std::string message = error_of([&] { load(); });
  EXPECT_NE(message.find("dataset.path"), std::string::npos) << message;
  EXPECT_NE(message.find("missing " + file("valid_y.npy")), std::string::npos) << message;
  EXPECT_NE(message.find("train_x.npy, train_y.npy, valid_x.npy"), std::string::npos) << message;

  message = error_of([&] {
    load_dataset(parse_config("dataset: {name: npy, path: /nonexistent/npy}").section("dataset"), 1);
  });
  EXPECT_NE(message.find("no directory /nonexistent/npy"), std::string::npos) << message;
  message = error_of([&] { load_dataset(parse_config("dataset: {name: npy}").section("dataset"), 1); });
  EXPECT_NE(message.find("missing required key 'path'"), std::string::npos) << message;
}

TEST_F(NpyDataset, UnsupportedTypesAreRefusedWithWhatIsAccepted) {
  std::vector<double> doubles(6 * 24, 0.5);
  write("train_x.npy", NpyFile{"<f8", {6, 2, 3, 4}, npy_bytes(doubles)});
  expect_refused("train_x.npy", "element type '<f8' is not supported; accepted: '<f4' (float32), '|u1' (uint8)");

  write("train_x.npy", byte_images(6));
  std::vector<std::int64_t> big_endian(6, 0);
  write("train_y.npy", NpyFile{">i8", {6}, npy_bytes(big_endian)});
  expect_refused("train_y.npy", "element type '>i8' is not supported");

  std::vector<std::int64_t> wide(6 * 24, 1);
  write("train_y.npy", int64_labels({0, 1, 2, 0, 1, 2}));
  write("train_x.npy", NpyFile{"<i8", {6, 2, 3, 4}, npy_bytes(wide)});
  expect_refused("train_x.npy", "images of type '<i8' are not supported; accepted: '<f4' (float32) or '|u1'");

  write("train_x.npy", byte_images(6));
  std::vector<float> float_labels(6, 1.0f);
  write("train_y.npy", NpyFile{"<f4", {6}, npy_bytes(float_labels)});
  expect_refused("train_y.npy", "labels of type '<f4' are not supported; accepted: '<i8' (int64)");
}

TEST_F(NpyDataset, FortranOrderIsRefused) {
  NpyFile images = byte_images(6);
  images.fortran_order = true;
  write("train_x.npy", images);
  expect_refused("train_x.npy", "Fortran order");
}

TEST_F(NpyDataset, WrongRankIsRefused) {
  NpyFile images = byte_images(6);
  images.shape = {6, 6, 4};
  write("train_x.npy", images);
  expect_refused("train_x.npy", "images must have 4 dimensions [N, C, H, W], got shape [6, 6, 4]");

  write("train_x.npy", byte_images(6));
  std::vector<std::int64_t> column(6, 0);
  write("train_y.npy", NpyFile{"<i8", {6, 1}, npy_bytes(column)});
  expect_refused("train_y.npy", "labels must have 1 dimension [N], got shape [6, 1]");
}

TEST_F(NpyDataset, LabelCountOtherThanImageCountNamesBothFiles) {
  write("test_y.npy", int64_labels({0, 1}));
  expect_refused("test_y.npy", "holds 2 labels but " + file("test_x.npy") + " holds 3 images");
}

TEST_F(NpyDataset, LabelOutOfRangeIsRefused) {
  write("valid_y.npy", int64_labels({0, -1, 1, 2}));
  expect_refused("valid_y.npy", "label -1 of example 1 is not a class: classes are 0..2");
}

TEST_F(NpyDataset, SplitsDisagreeingOnImageSizeAreRefused) {
  NpyFile images = byte_images(3);
  images.shape = {3, 2, 4, 3};
  write("test_x.npy", images);
  expect_refused("test_x.npy", "images are C, H, W = [2, 4, 3] but " + file("train_x.npy") + " holds [2, 3, 4]");
}

TEST_F(NpyDataset, TruncatedFileIsRefused) {
  NpyFile images = byte_images(4, 100);
  images.drop_bytes = 5;
  write("valid_x.npy", images);
  expect_refused("valid_x.npy", "file is truncated: the shape promises 96 bytes of data");

  std::ofstream(folder_ / "train_y.npy", std::ios::binary) << "\x93NUMP";
  expect_refused("train_y.npy", "file is truncated");
}

TEST_F(NpyDataset, NotAnNpyFileIsRefused) {
  std::ofstream(folder_ / "train_x.npy", std::ios::binary) << "P6 not numpy at all";
  expect_refused("train_x.npy", "not a NumPy .npy file");
}

}  // namespace
}  // namespace nas
