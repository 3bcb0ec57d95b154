#ifndef C_WHISTLE_SQLITE_H
#define C_WHISTLE_SQLITE_H

/* Connection settings that SQLite offers only through a variadic function, which Swift
   cannot call. */
struct sqlite3;

/* Turns on the query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG): a plan never
   depends on a bound value, so a kept prepared statement is not compiled again whenever a
   parameter changes. Returns an SQLite result code. */
int whistle_sqlite_enable_qpsg(struct sqlite3 *db);

#endif
