#include "experiments/log/faulty_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cerrno>
#include <mutex>

#include "core/fault_injection.hpp"

namespace nas {
namespace {

// A file of the faulty VFS: its methods, then (in the same allocation, which SQLite sizes from
// szOsFile) the real file that every call goes to.
struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs faulty_vfs;
sqlite3_io_methods faulty_methods;

sqlite3_file* real_of(sqlite3_file* file) { return reinterpret_cast<FaultyFile*>(file)->real; }

// The errno every later log write fails with once NAS_FAULT_FAIL_WRITE=log-transaction:... has reached
// its transaction; 0 before. Set by the connection that takes the WAL's write lock, read by the writes.
std::atomic<int> failing_transactions_error{0};

// The result code SQLite would get from the real file system, or SQLITE_OK to go on.
int injected(int io_error) {
  int error = failing_transactions_error.load();
  if (error == 0) error = injected_write_error("log");
  if (error == 0) return SQLITE_OK;
  return error == ENOSPC ? SQLITE_FULL : io_error;
}

// SQLite's WAL takes lock slot 0 of the shared memory exclusively (WAL_WRITE_LOCK in its wal.c) at
// the start of every write transaction, and only then.
constexpr int kWalWriteLockSlot = 0;

int faulty_close(sqlite3_file* file) { return real_of(file)->pMethods->xClose(real_of(file)); }
int faulty_read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  return real_of(file)->pMethods->xRead(real_of(file), buffer, amount, offset);
}
int faulty_write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  if (const int rc = injected(SQLITE_IOERR_WRITE)) return rc;
  return real_of(file)->pMethods->xWrite(real_of(file), buffer, amount, offset);
}
int faulty_truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = injected(SQLITE_IOERR_TRUNCATE)) return rc;
  return real_of(file)->pMethods->xTruncate(real_of(file), size);
}
int faulty_sync(sqlite3_file* file, int flags) {
  if (const int rc = injected(SQLITE_IOERR_FSYNC)) return rc;
  return real_of(file)->pMethods->xSync(real_of(file), flags);
}
int faulty_file_size(sqlite3_file* file, sqlite3_int64* size) {
  return real_of(file)->pMethods->xFileSize(real_of(file), size);
}
int faulty_lock(sqlite3_file* file, int level) { return real_of(file)->pMethods->xLock(real_of(file), level); }
int faulty_unlock(sqlite3_file* file, int level) { return real_of(file)->pMethods->xUnlock(real_of(file), level); }
int faulty_check_reserved_lock(sqlite3_file* file, int* out) {
  return real_of(file)->pMethods->xCheckReservedLock(real_of(file), out);
}
int faulty_file_control(sqlite3_file* file, int op, void* argument) {
  return real_of(file)->pMethods->xFileControl(real_of(file), op, argument);
}
int faulty_sector_size(sqlite3_file* file) { return real_of(file)->pMethods->xSectorSize(real_of(file)); }
int faulty_device_characteristics(sqlite3_file* file) {
  return real_of(file)->pMethods->xDeviceCharacteristics(real_of(file));
}
int faulty_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return real_of(file)->pMethods->xShmMap(real_of(file), region, size, extend, out);
}
int faulty_shm_lock(sqlite3_file* file, int offset, int count, int flags) {
  const int rc = real_of(file)->pMethods->xShmLock(real_of(file), offset, count, flags);
  if (rc == SQLITE_OK && offset == kWalWriteLockSlot && flags == (SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE))
    if (const int error = injected_write_error("log-transaction")) failing_transactions_error = error;
  return rc;
}
void faulty_shm_barrier(sqlite3_file* file) { real_of(file)->pMethods->xShmBarrier(real_of(file)); }
int faulty_shm_unmap(sqlite3_file* file, int delete_flag) {
  return real_of(file)->pMethods->xShmUnmap(real_of(file), delete_flag);
}
int faulty_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return real_of(file)->pMethods->xFetch(real_of(file), offset, amount, out);
}
int faulty_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* pointer) {
  return real_of(file)->pMethods->xUnfetch(real_of(file), offset, pointer);
}

int faulty_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* faulty = reinterpret_cast<FaultyFile*>(file);
  faulty->real = reinterpret_cast<sqlite3_file*>(faulty + 1);
  const int rc = real_vfs->xOpen(real_vfs, name, faulty->real, flags, out_flags);
  // SQLite calls xClose only on a file whose methods are set.
  faulty->base.pMethods = faulty->real->pMethods ? &faulty_methods : nullptr;
  return rc;
}

}  // namespace

void install_faulty_vfs_if_armed() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!write_faults_armed("log") && !write_faults_armed("log-transaction")) return;
    real_vfs = sqlite3_vfs_find(nullptr);
    faulty_vfs = *real_vfs;
    faulty_vfs.zName = "nas-faulty";
    faulty_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + real_vfs->szOsFile;
    faulty_vfs.xOpen = faulty_open;
    // The unix VFS's files all have version 3 methods (shared memory for WAL, memory-mapped reads).
    faulty_methods = sqlite3_io_methods{3,
                                        faulty_close,
                                        faulty_read,
                                        faulty_write,
                                        faulty_truncate,
                                        faulty_sync,
                                        faulty_file_size,
                                        faulty_lock,
                                        faulty_unlock,
                                        faulty_check_reserved_lock,
                                        faulty_file_control,
                                        faulty_sector_size,
                                        faulty_device_characteristics,
                                        faulty_shm_map,
                                        faulty_shm_lock,
                                        faulty_shm_barrier,
                                        faulty_shm_unmap,
                                        faulty_fetch,
                                        faulty_unfetch};
    sqlite3_vfs_register(&faulty_vfs, 1);
  });
}

}  // namespace nas
