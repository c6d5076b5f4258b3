// NumPy .npy folders (`dataset: {name: npy, path: DIR}`), the layout of the Unseen-NAS benchmark's
// datasets that einspace reads: train_x.npy, train_y.npy, valid_x.npy, valid_y.npy, test_x.npy,
// test_y.npy (images [N, C, H, W], float32 or uint8; labels [N], int64, int32 or uint8) and an optional
// JSON `metadata` file ({"num_classes": 20, "input_shape": [N, C, H, W], "codename": ...}).
//
// The validation images are the given valid_*.npy, never split from the training images, so
// `train_subset` and `validation` only cap how many of train_x / valid_x a search uses (a seeded
// draw; 0 = all). uint8 images are scaled to [0, 1] as every other dataset's; float32 images are used
// as stored: such files are usually already scaled or standardised by their producer, and rescaling by
// a guessed range would change what the data means. Normalisation inside the network (the training
// subset's per-channel mean and std, also inside an exported model) copes with any range, and the
// exported model.json says the model takes the values as stored.
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/input_file.hpp"
#include "core/json.hpp"
#include "evaluators/datasets/dataset_registry.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/datasets/npy_reader.hpp"
#include "evaluators/datasets/validation_split.hpp"

namespace nas {
namespace {

namespace fs = std::filesystem;

enum Split { train, valid, test };
const char* const split_names[] = {"train", "valid", "test"};
const char* const metadata_names[] = {"metadata", "metadata.json"};

std::string expected_files() {
  return "train_x.npy, train_y.npy, valid_x.npy, valid_y.npy, test_x.npy, test_y.npy (and optionally a JSON "
         "'metadata' file)";
}

// What the headers and the metadata say about a folder, checked for agreement, before any image is read.
struct NpyFolder {
  fs::path directory;
  std::string name;                        // the metadata's codename or name, else the folder's name
  fs::path images_path[3], labels_path[3];  // by Split
  NpyHeader images[3], labels[3];
  std::optional<std::int64_t> metadata_classes;
  fs::path metadata_path;
};

std::string text_of(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

void read_metadata(NpyFolder& folder) {
  for (const char* name : metadata_names)
    if (fs::exists(folder.directory / name)) {
      folder.metadata_path = folder.directory / name;
      break;
    }
  if (folder.metadata_path.empty()) return;
  const std::string where = folder.metadata_path.string();
  require_regular_file(where, "a JSON file of the dataset's metadata");
  std::ifstream in(folder.metadata_path);
  Json metadata;
  try {
    metadata = Json::parse(in);
  } catch (const Json::exception& e) {
    throw Error(where, std::string("the metadata file is not valid JSON: ") + e.what());
  }
  if (!metadata.is_object()) throw Error(where, "the metadata file must hold a JSON object");
  for (const char* key : {"codename", "name"})
    if (metadata.contains(key) && metadata[key].is_string()) {
      folder.name = metadata[key].get<std::string>();
      break;
    }
  if (metadata.contains("num_classes")) {
    const Json& classes = metadata["num_classes"];
    if (!classes.is_number_integer() || classes.get<std::int64_t>() < 1)
      throw Error(where, "'num_classes' must be a positive integer, got " + classes.dump());
    folder.metadata_classes = classes.get<std::int64_t>();
  }
  if (metadata.contains("input_shape")) {
    // Unseen-NAS writes [N, C, H, W]; only C, H, W are compared (N is the training count).
    const Json& shape = metadata["input_shape"];
    const auto& images = folder.images[train].shape;
    bool agrees = shape.is_array() && shape.size() >= 3;
    for (std::size_t i = 0; agrees && i < 3; ++i) {
      const Json& dim = shape[shape.size() - 3 + i];
      agrees = dim.is_number_integer() && dim.get<std::int64_t>() == images[i + 1];
    }
    if (!agrees)
      throw Error(where, "'input_shape' " + shape.dump() + " does not end in the images' C, H, W " +
                             text_of({images[1], images[2], images[3]}) + " of " +
                             folder.images_path[train].string());
  }
}

NpyFolder inspect_folder(const ConfigNode& section) {
  NpyFolder folder;
  folder.directory = section.path("path", "");
  const std::string hint = "expected the files " + expected_files();
  if (folder.directory.empty()) throw section.error("path", "missing required key 'path' (the folder with " + expected_files() + ")");
  if (!fs::is_directory(folder.directory))
    throw section.error("path", "no directory " + folder.directory.string() + "; " + hint);
  folder.name = folder.directory.filename().string();
  if (folder.name.empty()) folder.name = folder.directory.parent_path().filename().string();
  for (int split : {train, valid, test}) {
    folder.images_path[split] = folder.directory / (std::string(split_names[split]) + "_x.npy");
    folder.labels_path[split] = folder.directory / (std::string(split_names[split]) + "_y.npy");
    for (const auto* path : {&folder.images_path[split], &folder.labels_path[split]})
      if (!fs::exists(*path)) throw section.error("path", "missing " + path->string() + "; " + hint);
  }

  for (int split : {train, valid, test}) {
    const std::string images_where = folder.images_path[split].string();
    const std::string labels_where = folder.labels_path[split].string();
    NpyHeader& images = folder.images[split] = read_npy_header(images_where);
    NpyHeader& labels = folder.labels[split] = read_npy_header(labels_where);
    if (images.type != NpyType::float32 && images.type != NpyType::uint8)
      throw Error(images_where, "images of type '" + images.descr + "' are not supported; accepted: '<f4' (float32) "
                                "or '|u1' (uint8, scaled to [0, 1])");
    if (images.shape.size() != 4)
      throw Error(images_where, "images must have 4 dimensions [N, C, H, W], got shape " + text_of(images.shape));
    if (images.shape[0] == 0) throw Error(images_where, "holds no images");
    if (labels.type == NpyType::float32)
      throw Error(labels_where, "labels of type '" + labels.descr + "' are not supported; accepted: '<i8' (int64), "
                                "'<i4' (int32) or '|u1' (uint8)");
    if (labels.shape.size() != 1)
      throw Error(labels_where, "labels must have 1 dimension [N], got shape " + text_of(labels.shape));
    if (labels.shape[0] != images.shape[0])
      throw Error(labels_where, "holds " + std::to_string(labels.shape[0]) + " labels but " + images_where +
                                    " holds " + std::to_string(images.shape[0]) + " images");
    if (split == train) continue;
    const NpyHeader& first = folder.images[train];
    for (int dim = 1; dim < 4; ++dim)
      if (images.shape[dim] != first.shape[dim])
        throw Error(images_where, "images are C, H, W = " + text_of({images.shape[1], images.shape[2], images.shape[3]}) +
                                      " but " + folder.images_path[train].string() + " holds " +
                                      text_of({first.shape[1], first.shape[2], first.shape[3]}) +
                                      "; the three splits must agree");
    if (images.type != first.type)
      throw Error(images_where, "images are '" + images.descr + "' but " + folder.images_path[train].string() +
                                    " holds '" + first.descr + "'; the three splits must share one type");
  }
  read_metadata(folder);
  return folder;
}

torch::Tensor read_labels(const NpyFolder& folder, Split split) {
  const NpyHeader& header = folder.labels[split];
  const auto type = header.type == NpyType::int64   ? torch::kInt64
                    : header.type == NpyType::int32 ? torch::kInt32
                                                    : torch::kUInt8;
  torch::Tensor labels = torch::empty({header.shape[0]}, type);
  read_npy_data(folder.labels_path[split].string(), header, labels.data_ptr());
  return labels.to(torch::kInt64);
}

// The metadata's num_classes, else the largest label + 1; every label is checked to be a class.
std::int64_t count_classes(const NpyFolder& folder, const torch::Tensor (&labels)[3]) {
  std::int64_t classes = 0;
  if (folder.metadata_classes) {
    classes = *folder.metadata_classes;
  } else {
    for (const auto& split_labels : labels) classes = std::max(classes, split_labels.max().item<std::int64_t>() + 1);
  }
  const std::string source = folder.metadata_classes ? "num_classes in " + folder.metadata_path.string()
                                                     : "the largest label + 1, there being no metadata file";
  for (int split : {train, valid, test}) {
    const auto outside = torch::nonzero(labels[split].lt(0).logical_or(labels[split].ge(classes)));
    if (outside.size(0) > 0) {
      const std::int64_t index = outside[0][0].item<std::int64_t>();
      throw Error(folder.labels_path[split].string(),
                  "label " + std::to_string(labels[split][index].item<std::int64_t>()) + " of example " +
                      std::to_string(index) + " is not a class: classes are 0.." + std::to_string(classes - 1) +
                      " (" + source + ")");
    }
  }
  return classes;
}

// float32 [N, C, H, W]: uint8 scaled to [0, 1], float32 as stored (checked to be finite).
torch::Tensor read_images(const NpyFolder& folder, Split split) {
  const NpyHeader& header = folder.images[split];
  const std::string where = folder.images_path[split].string();
  torch::Tensor images =
      torch::empty(header.shape, header.type == NpyType::uint8 ? torch::kUInt8 : torch::kFloat32);
  read_npy_data(where, header, images.data_ptr());
  if (header.type == NpyType::uint8) return to_unit_float(images);
  if (!torch::isfinite(images).all().item<bool>())
    throw Error(where, "holds NaN or infinite values; images must be finite");
  return images;
}

struct LabelledFolder {
  NpyFolder folder;
  torch::Tensor labels[3];
  TaskShape shape;
};

LabelledFolder read_labelled_folder(const ConfigNode& section) {
  LabelledFolder result{inspect_folder(section), {}, {}};
  for (int split : {train, valid, test}) result.labels[split] = read_labels(result.folder, Split(split));
  const auto& images = result.folder.images[train].shape;
  result.shape = TaskShape{images[1], images[2], images[3], count_classes(result.folder, result.labels)};
  return result;
}

// `count` of the images and labels (0: all), drawn by a shuffle seeded with `seed`.
void draw(const torch::Tensor& images, const torch::Tensor& labels, std::int64_t count, std::uint64_t seed,
          torch::Tensor& images_out, torch::Tensor& labels_out) {
  if (count == 0 || count == images.size(0)) {
    images_out = images;
    labels_out = labels;
    return;
  }
  const auto index = seeded_order(images.size(0), seed).slice(0, 0, count);
  images_out = images.index_select(0, index);
  labels_out = labels.index_select(0, index);
}

std::shared_ptr<const ImageDataset> load_npy(const ConfigNode& section, std::uint64_t seed) {
  LabelledFolder data = read_labelled_folder(section);
  const std::int64_t train_subset = section.integer("train_subset", 0, 0);
  const std::int64_t validation = section.integer("validation", 0, 0);
  const std::int64_t train_available = data.folder.images[train].shape[0];
  const std::int64_t valid_available = data.folder.images[valid].shape[0];
  if (train_subset > train_available)
    throw section.error("train_subset", "asks for " + std::to_string(train_subset) + " training images, but " +
                                            data.folder.images_path[train].string() + " holds " +
                                            std::to_string(train_available) + " (0 = all)");
  if (validation > valid_available)
    throw section.error("validation", "asks for " + std::to_string(validation) + " validation images, but " +
                                          data.folder.images_path[valid].string() + " holds " +
                                          std::to_string(valid_available) + " (0 = all)");

  auto dataset = std::make_shared<ImageDataset>();
  dataset->name = data.folder.name;
  dataset->shape = data.shape;
  for (std::int64_t k = 0; k < data.shape.classes; ++k) dataset->class_names.push_back(std::to_string(k));
  if (data.folder.images[train].type == NpyType::float32) dataset->input_range.clear();

  draw(read_images(data.folder, train), data.labels[train], train_subset, seed, dataset->train_images,
       dataset->train_labels);
  // Another stream than the training draw's, so that the two subsets are not drawn alike.
  draw(read_images(data.folder, valid), data.labels[valid], validation, seed ^ 0x9e3779b97f4a7c15ULL,
       dataset->val_images, dataset->val_labels);
  dataset->test_images = read_images(data.folder, test);
  dataset->test_labels = data.labels[test];
  set_normalisation(*dataset);
  return dataset;
}

const bool registered = dataset_registry().add("npy", load_npy);
// Headers and labels only: drawing a logged run's architectures needs the shape and class count.
const bool shape_registered =
    dataset_shape_registry().add("npy", [](const ConfigNode& section) { return read_labelled_folder(section).shape; });

}  // namespace
}  // namespace nas
