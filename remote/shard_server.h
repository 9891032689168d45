// ShardServer: serves one pundit database folder as a shard over Xapian's
// remote protocol (what `xapian-tcpsrv` speaks), so that `pundit search`
// and `pundit serve` on other machines read it through a stub file line
// `remote HOST:PORT` (searcher/index_handle.h) and Xapian merges it with the
// other shards, ranking with the statistics of all of them.
//
// It is Xapian's own RemoteServer (remote/xapian_remote_server.h) on each
// connection, with a Registry that knows pundit's match-time classes (the
// phrase and NEAR posting source, searcher/position_match.h, and the match
// spies that send a shard's matches, copy bands and term postings in
// one message each), which the stock xapian-tcpsrv cannot unserialise. Each
// connection reads the live generation as it was when the connection opened and
// follows its commits (a client's reopen()); when a `--full` run or `pundit
// compact` swaps in a new generation, the server closes its open connections
// and clients reconnect to the new one.
//
// Threads: one per connection (Xapian objects never shared between
// them), one accepting, one watching the live generation. Start/Stop from
// one thread.
#ifndef PUNDIT_REMOTE_SHARD_SERVER_H_
#define PUNDIT_REMOTE_SHARD_SERVER_H_

#include <memory>
#include <string>

#include "core/status.h"

namespace pundit {

struct ShardServerOptions {
  std::string db_dir;              // a pundit database folder
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 0;                    // 0: a free port (see ShardServer::port)
  // Seconds a client may take within one exchange, and between exchanges
  // before its connection is closed (it reconnects on its next request).
  double active_timeout_s = 15;
  double idle_timeout_s = 60;
  int max_connections = 256;  // more are closed at once
};

class ShardServer {
 public:
  // Binds and starts serving. kNotFound when db_dir holds no index,
  // kVersionMismatch for another schema version, kIoError when the address
  // cannot be bound ("cannot listen on 127.0.0.1:7001: Address in use").
  static Result<std::unique_ptr<ShardServer>> Start(
      const ShardServerOptions& options);
  ~ShardServer();  // Stop()
  ShardServer(const ShardServer&) = delete;
  ShardServer& operator=(const ShardServer&) = delete;

  int port() const;
  // Stops accepting, closes every connection and waits for their threads.
  void Stop();

 private:
  struct Impl;
  explicit ShardServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pundit

#endif  // PUNDIT_REMOTE_SHARD_SERVER_H_
