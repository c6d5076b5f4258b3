#include "evaluators/evaluation/evaluator.hpp"

#include "core/error.hpp"

namespace nas {

ModelExportResult Evaluator::export_model(const ModelExportRequest& request) const {
  throw Error(request.out, "this run's evaluator trains nothing it could export");
}

}  // namespace nas
