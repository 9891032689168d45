// The declarations of Xapian's own remote server, the class behind
// `xapian-tcpsrv`, as libxapian 1.4.22 builds and exports it
// (xapian-core-1.4.22/net/remoteconnection.h and net/remoteserver.h; the
// library installs no header for them). Xapian's documentation sends a
// program with PostingSource or MatchSpy subclasses of its own to a server
// of its own built on this class, with a Registry that knows those classes:
// remote/shard_server.cc is that server.
//
// The member lists must match the library byte for byte: this header is
// tied to Xapian 1.4.22 (checked below at compile time, and by
// tests/cluster_test.cc at run time); a new Xapian release means comparing
// these two classes with its sources again.
#ifndef PUNDIT_REMOTE_XAPIAN_REMOTE_SERVER_H_
#define PUNDIT_REMOTE_XAPIAN_REMOTE_SERVER_H_

#include <sys/types.h>
#include <xapian.h>

#include <string>
#include <vector>

static_assert(XAPIAN_MAJOR_VERSION == 1 && XAPIAN_MINOR_VERSION == 4 &&
                  XAPIAN_REVISION == 22,
              "remote/xapian_remote_server.h mirrors Xapian 1.4.22's "
              "RemoteServer: compare it with this Xapian's net/remoteserver.h "
              "and net/remoteconnection.h");

// xapian-core-1.4.22/net/remoteconnection.h (POSIX members only).
class RemoteConnection {
  void operator=(const RemoteConnection&);
  RemoteConnection(const RemoteConnection&);

  int fdin;
  int fdout;
  std::string buffer;
  off_t chunked_data_left;

 protected:
  std::string context;

 public:
  ~RemoteConnection();
};

// xapian-core-1.4.22/net/remoteserver.h: serves the databases at `dbpaths`
// over the connection on fdin/fdout until the client closes it (run()).
class RemoteServer : private RemoteConnection {
  void operator=(const RemoteServer&);
  RemoteServer(const RemoteServer&);

  Xapian::Database* db;
  Xapian::WritableDatabase* wdb;
  bool writable;
  double active_timeout;
  double idle_timeout;
  Xapian::Registry reg;

 public:
  RemoteServer(const std::vector<std::string>& dbpaths, int fdin, int fdout,
               double active_timeout_, double idle_timeout_,
               bool writable = false);
  ~RemoteServer();
  void run();
  void set_registry(const Xapian::Registry& reg_) { reg = reg_; }
};

#endif  // PUNDIT_REMOTE_XAPIAN_REMOTE_SERVER_H_
