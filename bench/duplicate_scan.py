#!/usr/bin/env python3
"""The intake's possible-duplicate scan before and after M035, on SQLite (Python's sqlite3).

A synthetic district: STREETS streets, one catalogue item, 600 open appeals per street over the
last seven days, interleaved in time. Each of 1,000 rounds writes a row (as every intake does,
which empties the reading connection's page cache) and then runs the scan for a random street
and place twice: the old query on the old index `(item_id, created_at)`, and
`SQLAppealStore.duplicateHints`' query on M035's `ix_appeals_item_street`. Both must return the
same hints (asserted). Prints the mean time per scan.

    python3 bench/duplicate_scan.py STREETS      (e.g. 1, 5, 20; a few seconds each)
"""
import os, sqlite3, sys, tempfile, time, random, uuid
streets=int(sys.argv[1]) if len(sys.argv) > 1 else 20; per=600
folder=tempfile.mkdtemp(prefix="whistle-dupscan-")
def build(path, new):
    for suffix in ("", "-wal", "-shm"):
        try: os.remove(path+suffix)
        except FileNotFoundError: pass
    db=sqlite3.connect(path, isolation_level=None); db.execute("PRAGMA journal_mode=WAL")
    db.execute('CREATE TABLE appeals ("id" UUID PRIMARY KEY, "number" TEXT NOT NULL, "receiving_unit_id" UUID NOT NULL, "grid_id" UUID, "address" TEXT NOT NULL, "lat" DOUBLE, "lon" DOUBLE, "item_id" UUID, "state" TEXT NOT NULL, "created_at" REAL NOT NULL, "description" TEXT)')
    if new: db.execute('CREATE INDEX ix_appeals_item_street ON appeals ("item_id", "receiving_unit_id", "created_at", "state", "lat", "lon", "grid_id", "id")')
    else: db.execute('CREATE INDEX ix_appeals_item_created ON appeals ("item_id", "created_at")')
    db.execute("CREATE TABLE scratch(x)")
    return db
random.seed(7)
item=str(uuid.uuid4()).upper(); units=[str(uuid.uuid4()).upper() for _ in range(streets)]
now=1_780_000_000.0
rows=[]
for k in range(streets*per):
    rows.append((str(uuid.uuid4()).upper(), f"A2026-{k:06d}", units[k%streets], None, "某路"+str(k), 39.85+random.random()*0.1, 116.35+random.random()*0.12, item, "received", now-7*86400*(1-k/(streets*per)), "x"*120))
openst=('received','triaged','handling','whistled','in_progress')
q_old='''SELECT * FROM (SELECT a."id", a."number", a."state", a."address", a."created_at", a."lat", a."lon", a."grid_id" FROM "appeals" a
  WHERE a."item_id" = ? AND a."receiving_unit_id" = ? AND a."id" <> ? AND a."created_at" >= ? AND a."created_at" <= ? AND a."state" IN (?,?,?,?,?)
  ORDER BY a."created_at" DESC LIMIT 50) c
WHERE (c."lat" BETWEEN ? AND ? AND c."lon" BETWEEN ? AND ?) OR ((c."lat" IS NULL OR c."lon" IS NULL) AND c."grid_id" = ?) ORDER BY c."created_at" DESC'''
q_new='''SELECT c."id", a."number", c."state", a."address", c."created_at", c."lat", c."lon", c."grid_id" FROM (
  SELECT n."id", n."state", n."created_at", n."lat", n."lon", n."grid_id" FROM "appeals" n
  WHERE n."item_id" = ? AND n."receiving_unit_id" = ? AND n."id" <> ? AND n."created_at" >= ? AND n."created_at" <= ? AND n."state" IN (?,?,?,?,?)
  ORDER BY n."created_at" DESC LIMIT 50) c JOIN "appeals" a ON a."id" = c."id"
WHERE (c."lat" BETWEEN ? AND ? AND c."lon" BETWEEN ? AND ?) OR ((c."lat" IS NULL OR c."lon" IS NULL) AND c."grid_id" = ?) ORDER BY c."created_at" DESC'''
sets=[]
for name,new,q in (("old",False,q_old),("new",True,q_new)):
    w=build(os.path.join(folder, f"{name}.sqlite"), new)
    w.execute("BEGIN"); w.executemany("INSERT INTO appeals VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows); w.execute("COMMIT")
    r=sqlite3.connect(os.path.join(folder, f"{name}.sqlite"), isolation_level=None)
    sets.append([name,w,r,q,0.0,0])
n=1000
for i in range(n):
    lat=39.85+random.random()*0.1; lon=116.35+random.random()*0.12; street=random.choice(units)
    args=(item,street,'x',now-7*86400,now)+openst+(lat-0.0027,lat+0.0027,lon-0.0035,lon+0.0035,'g')
    res=[]
    for s in sets:
        s[1].execute("insert into scratch values (?)",(i,))
        t=time.perf_counter(); got=s[2].execute(s[3],args).fetchall(); s[4]+=time.perf_counter()-t; s[5]+=len(got); res.append(sorted(x[0] for x in got))
    assert res[0]==res[1], "same hints"
print(f"{streets} streets × {per} appeals: " + ", ".join(f"{s[0]} {s[4]/n*1e6:.0f} µs/scan ({s[5]/n:.2f} near)" for s in sets))
for s in sets: s[1].close(); s[2].close()
for f in os.listdir(folder): os.remove(os.path.join(folder, f))
os.rmdir(folder)
