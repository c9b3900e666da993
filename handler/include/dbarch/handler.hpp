// dbarch::handler: the one approved way to talk to PostgreSQL.
//
//   #include <dbarch/handler.hpp>
//   auto s = dbarch::handler::get_background_session();
//   auto tx = s.transaction({.statement_timeout = std::chrono::seconds(2)});
//   tx.exec("UPDATE accounts SET balance = balance - $1 WHERE id = $2", 100, 7);
//   tx.commit();
//
// See handler/README.md for the settings and the pooler modes.
#pragma once

#include "dbarch/handler/config.hpp"
#include "dbarch/handler/errors.hpp"
#include "dbarch/handler/log.hpp"
#include "dbarch/handler/pool.hpp"
#include "dbarch/handler/result.hpp"
#include "dbarch/handler/session.hpp"
#include "dbarch/handler/source_location.hpp"
