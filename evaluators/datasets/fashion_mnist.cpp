// Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test greyscale 28x28 images of clothing,
// 10 classes, as four gzip IDX files (Debian: dataset-fashion-mnist).
#include <filesystem>

#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/idx_reader.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/datasets/validation_split.hpp"

namespace nas {
namespace {

const char* const default_path = "/usr/share/datasets/fashion-mnist";
const char* const train_images_file = "train-images-idx3-ubyte.gz";
const char* const train_labels_file = "train-labels-idx1-ubyte.gz";
const char* const test_images_file = "t10k-images-idx3-ubyte.gz";
const char* const test_labels_file = "t10k-labels-idx1-ubyte.gz";

std::string expected_files() {
  return std::string(train_images_file) + ", " + train_labels_file + ", " + test_images_file + ", " +
         test_labels_file;
}

struct LabelledImages {
  torch::Tensor images;  // uint8 [N, 1, H, W]
  torch::Tensor labels;  // int64 [N]
};

// Reads one images/labels pair and checks that they belong together.
LabelledImages read_pair(const std::filesystem::path& images_path, const std::filesystem::path& labels_path,
                         std::int64_t classes) {
  IdxArray images = read_idx_gz(images_path.string(), idx_images_magic);
  IdxArray labels = read_idx_gz(labels_path.string(), idx_labels_magic);
  if (images.dims.size() != 3)
    throw Error(images_path.string(), "expected 3 dimensions (count, rows, columns), got " +
                                          std::to_string(images.dims.size()));
  if (labels.dims.size() != 1)
    throw Error(labels_path.string(), "expected 1 dimension (count), got " + std::to_string(labels.dims.size()));
  if (images.dims[0] != labels.dims[0])
    throw Error(labels_path.string(), "holds " + std::to_string(labels.dims[0]) + " labels but " +
                                          images_path.string() + " holds " + std::to_string(images.dims[0]) +
                                          " images");
  for (std::size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] >= classes)
      throw Error(labels_path.string(), "label " + std::to_string(labels.data[i]) + " of example " +
                                            std::to_string(i) + " is not a class (0.." +
                                            std::to_string(classes - 1) + ")");

  LabelledImages result;
  const auto count = images.dims[0];
  result.images = torch::from_blob(images.data.data(), {count, 1, images.dims[1], images.dims[2]}, torch::kUInt8)
                      .clone();
  result.labels = torch::from_blob(labels.data.data(), {count}, torch::kUInt8).to(torch::kInt64);
  return result;
}

std::shared_ptr<const ImageDataset> load_fashion_mnist(const ConfigNode& section, std::uint64_t seed) {
  const std::filesystem::path directory = section.path("path", default_path);
  const SplitSizes sizes = read_split_sizes(section);

  const std::string hint = "expected the files " + expected_files() +
                           "; set dataset.path to the folder that holds them, or apt-get install "
                           "dataset-fashion-mnist (puts them in " + default_path + ")";
  if (!std::filesystem::is_directory(directory))
    throw section.error("path", "no directory " + directory.string() + "; " + hint);
  for (const char* file : {train_images_file, train_labels_file, test_images_file, test_labels_file})
    if (!std::filesystem::exists(directory / file))
      throw section.error("path", "missing " + (directory / file).string() + "; " + hint);

  auto dataset = std::make_shared<ImageDataset>();
  dataset->name = "fashion-mnist";
  dataset->class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  const auto classes = static_cast<std::int64_t>(dataset->class_names.size());

  LabelledImages train = read_pair(directory / train_images_file, directory / train_labels_file, classes);
  LabelledImages test = read_pair(directory / test_images_file, directory / test_labels_file, classes);
  if (test.images.sizes().slice(1) != train.images.sizes().slice(1))
    throw Error((directory / test_images_file).string(), "images are not the size of the training images");

  dataset->shape = TaskShape{1, train.images.size(2), train.images.size(3), classes};
  split_training_images(*dataset, train.images, train.labels, sizes, section, seed);
  dataset->test_images = to_unit_float(test.images);
  dataset->test_labels = test.labels;
  return dataset;
}

const bool registered = dataset_registry().add("fashion-mnist", load_fashion_mnist);
const bool shape_registered =
    dataset_shape_registry().add("fashion-mnist", [](const ConfigNode&) { return TaskShape{1, 28, 28, 10}; });

}  // namespace
}  // namespace nas
