#pragma once
// The schema of a search log of the current format (SearchLog::format_version), as SearchLog::create
// writes it. Logs of older formats reach it through log_migrations.hpp; a test checks that a migrated
// log has exactly the tables, columns and indexes this creates.
#include <string>
#include <vector>

namespace nas {

// SQL statements that create every table and index of an empty log of the current format.
const char* log_schema_sql();

// The names of the tables log_schema_sql() creates, read from it.
const std::vector<std::string>& log_schema_tables();

}  // namespace nas
