// DBARCH_HANDLER marks the functions inside the handler library that open libpq connections.
// The dbarch checker treats functions carrying [[clang::annotate("dbarch::handler")]] as approved
// handler scope. Other compilers get nothing (GCC warns about unknown attributes).
#pragma once

#if defined(__clang__)
#define DBARCH_HANDLER [[clang::annotate("dbarch::handler")]]
#else
#define DBARCH_HANDLER
#endif
