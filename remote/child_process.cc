// Child processes for the replication tools: fork and exec, one pipe for
// stdout and stderr. See remote/child_process.h.
#include "remote/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pundit::remote {
namespace {

// The executable `name` is found as on PATH, or "" when it is not there.
std::string FindOnPath(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return access(name.c_str(), X_OK) == 0 ? name : std::string();
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t begin = 0;
  while (begin <= dirs.size()) {
    size_t end = dirs.find(':', begin);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir =
        end > begin ? dirs.substr(begin, end - begin) : std::string(1, '.');
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    begin = end + 1;
  }
  return "";
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, bool own_process_group) {
  if (argv.empty()) return Status::Internal("no program to run");
  const std::string program = FindOnPath(argv[0]);
  if (program.empty()) {
    return Status::NotFound(argv[0] +
                            " not found on PATH: install the Debian "
                            "package xapian-tools");
  }
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return Status::IoError("cannot run " + argv[0] + ": " +
                           std::strerror(errno));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(fds[0]);
    close(fds[1]);
    return Status::IoError("cannot run " + argv[0] + ": " + std::strerror(err));
  }
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    if (own_process_group) setpgid(0, 0);
    // Ends with its parent, even one killed by SIGKILL.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    // The parent may block SIGINT and SIGTERM to wait for them, or ignore
    // SIGPIPE: the program starts with the defaults.
    for (int s : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGHUP}) {
      signal(s, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(program.c_str(), args.data());
    _exit(127);
  }
  close(fds[1]);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, fds[0]));
}

ChildProcess::~ChildProcess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  close(out_fd_);
}

void ChildProcess::ReadAvailable(bool block) {
  if (block) {
    pollfd p{out_fd_, POLLIN, 0};
    poll(&p, 1, 100);
  }
  char buf[4096];
  ssize_t n;
  while ((n = read(out_fd_, buf, sizeof buf)) > 0) {
    output_.append(buf, static_cast<size_t>(n));
  }
}

std::string ChildProcess::TakeOutput() {
  ReadAvailable(false);
  std::string out;
  out.swap(output_);
  return out;
}

void ChildProcess::Record(int wait_status) {
  reaped_ = true;
  if (WIFEXITED(wait_status)) {
    exit_code_ = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    exit_code_ = 128 + WTERMSIG(wait_status);
  }
  // What it wrote before it ended is still in the pipe.
  ReadAvailable(false);
}

bool ChildProcess::Ended() {
  if (reaped_) return true;
  ReadAvailable(false);
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) Record(status);
  return reaped_;
}

int ChildProcess::Wait() {
  while (!Ended()) ReadAvailable(true);
  return exit_code_;
}

void ChildProcess::Signal(int signal) {
  if (!reaped_) kill(pid_, signal);
}

Result<ChildResult> RunChild(const std::vector<std::string>& argv,
                             std::chrono::seconds limit) {
  Result<std::unique_ptr<ChildProcess>> child =
      ChildProcess::Start(argv, /*own_process_group=*/false);
  if (!child.ok()) return child.status();
  ChildResult result;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!(*child)->Ended()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      (*child)->Signal(SIGKILL);
      (*child)->Wait();
      break;
    }
    usleep(10 * 1000);  // Ended() keeps the pipe drained meanwhile
  }
  result.output += (*child)->TakeOutput();
  result.exit_code = (*child)->exit_code();
  return result;
}

}  // namespace pundit::remote
