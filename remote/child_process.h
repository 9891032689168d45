// ChildProcess: a program run beside pundit (Xapian's replication tools),
// found on PATH, with stdin from /dev/null and its stdout and stderr read
// back through one pipe. pundit drives `xapian-replicate-server` and
// `xapian-replicate` this way (remote/replica.h says why).
//
// Ownership and threads: a ChildProcess owns the process and the read end
// of its pipe; the destructor SIGKILLs a child still running and reaps it.
// Not thread-safe: use it from one thread. The child starts with every
// signal unblocked and default dispositions, whatever the parent blocks.
// Linux only (prctl).
#ifndef PUNDIT_REMOTE_CHILD_PROCESS_H_
#define PUNDIT_REMOTE_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace pundit::remote {

class ChildProcess {
 public:
  // Starts argv[0] (looked up on PATH) with argv. With
  // `own_process_group`, the child leads a process group of its own
  // (xapian-replicate-server answers SIGTERM by sending SIGTERM to its
  // whole group, which must not be pundit's). The child gets SIGTERM when
  // its parent thread ends, however it ends. kNotFound ("xapian-replicate
  // not found on PATH: install the Debian package xapian-tools") when the
  // program is not there; kIoError when no process or pipe could be made.
  static Result<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv, bool own_process_group);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Moves what the child printed since the last call into the returned
  // string, without waiting. The child never blocks on a full pipe as long
  // as its owner calls this (or Wait) now and then.
  std::string TakeOutput();

  // True once the child has ended (it is then reaped); reads its output
  // meanwhile. Never blocks.
  bool Ended();

  // Waits until the child ends, reading its output; returns its exit
  // status, or 128 + the signal that ended it.
  int Wait();

  // Sends `signal` to a child still running.
  void Signal(int signal);

  // The exit status once Ended() or Wait() said so; -1 before.
  int exit_code() const { return exit_code_; }

 private:
  ChildProcess(pid_t pid, int out_fd) : pid_(pid), out_fd_(out_fd) {}
  void ReadAvailable(bool block);
  void Record(int wait_status);

  pid_t pid_;
  int out_fd_;
  bool reaped_ = false;
  int exit_code_ = -1;
  std::string output_;
};

// Runs argv to its end (at most `limit`, then SIGKILL); returns its exit
// status and everything it printed. Errors as ChildProcess::Start.
struct ChildResult {
  int exit_code = -1;  // exit status, or 128 + signal
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved as written
};
Result<ChildResult> RunChild(const std::vector<std::string>& argv,
                             std::chrono::seconds limit);

}  // namespace pundit::remote

#endif  // PUNDIT_REMOTE_CHILD_PROCESS_H_
