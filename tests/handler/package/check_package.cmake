# handler/ configured as a project of its own, built, installed; then a consumer found via find_package.
foreach(var HANDLER_DIR CONSUMER_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_package.cmake: ${var} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} -S ${HANDLER_DIR} -B ${WORK_DIR}/handler -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/handler)
run(${CMAKE_COMMAND} --install ${WORK_DIR}/handler --prefix ${WORK_DIR}/prefix)
foreach(f lib/cmake/dbarch_handler/dbarch_handlerConfig.cmake
          lib/cmake/dbarch_handler/dbarch_handlerConfigVersion.cmake
          include/dbarch/handler.hpp)
  if(NOT EXISTS ${WORK_DIR}/prefix/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/consumer -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)
run(${WORK_DIR}/consumer/consumer)
message(STATUS "${last_output}")
if(NOT last_output MATCHES "consumer ok: \"postgresql://app@127.0.0.1:1/app\" \\(pooler=transaction\\)")
  message(FATAL_ERROR "unexpected consumer output: ${last_output}")
endif()
