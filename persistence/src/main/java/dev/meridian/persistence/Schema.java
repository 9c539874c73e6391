package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.List;

/**
 * Creates Meridian's own keyspaces and tables (the journal tables belong to Pekko Persistence Cassandra).
 * Idempotent; run at node start when schema auto-creation is on, or printed for an operator with
 * {@link #statements}. Keyspace replication is configuration: {@code SimpleStrategy} on one node,
 * {@code NetworkTopologyStrategy} with the region's Cassandra data center in production.
 */
public final class Schema {

  private Schema() {}

  /** Statements for one region's keyspace: object index, blob chunks, blob garbage collection. */
  public static List<String> regionStatements(String keyspace, String replication) {
    return List.of(
        "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication,
        // The latest version of every key (a delete marker included): what ListObjects reads.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".object_current ("
            + " bucket text, part int, key text, seq bigint, version_id text, delete_marker boolean,"
            + " info text, data blob, PRIMARY KEY ((bucket, part), key))",
        // Every version of every key, newest first within a key: what ListObjectVersions reads.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".object_versions ("
            + " bucket text, part int, key text, seq bigint, version_id text, delete_marker boolean,"
            + " info text, data blob, PRIMARY KEY ((bucket, part), key, seq, version_id))"
            + " WITH CLUSTERING ORDER BY (key ASC, seq DESC, version_id ASC)",
        // Object bytes: one partition per chunk keeps partitions small and spreads a large object. Not
        // compressed: object bytes rarely compress (media, archives, encrypted data), and compressing
        // them costs Cassandra CPU on every write, compaction and read. Chunks are written once and read
        // by key, so compaction only has deleted chunks to reclaim: size-tiered, merging 8 to 32 sstables
        // at a time instead of 4, rewrites each byte fewer times (bench/README.md, "Large PUTs").
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".blob_chunks ("
            + " blob uuid, idx int, data blob, PRIMARY KEY ((blob, idx)))"
            + " WITH compression = {'enabled': 'false'}"
            + " AND compaction = {'class': 'SizeTieredCompactionStrategy', 'min_threshold': '8', 'max_threshold': '32'}",
        // The part blobs of a multipart object, in order (BlobRef.parts > 0 points here).
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".blob_manifests ("
            + " manifest uuid, idx int, blob uuid, size bigint, chunk_size int, PRIMARY KEY (manifest, idx))",
        // Multipart uploads in progress, by bucket, in key order (uploads of one key in initiation order).
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".uploads ("
            + " bucket text, key text, upload_id text, initiated timestamp, info text,"
            + " PRIMARY KEY (bucket, key, upload_id))",
        // The parts uploaded so far; a re-uploaded part number replaces the earlier one.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".upload_parts ("
            + " upload_id text, part int, info text, PRIMARY KEY (upload_id, part))",
        // Replication progress of each source version, per destination bucket (PENDING, COMPLETED, FAILED).
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".replication_status ("
            + " bucket text, part int, key text, version_id text, destination text, status text, reason text,"
            + " updated timestamp, PRIMARY KEY ((bucket, part), key, version_id, destination))",
        // When the keyspace was created (RegionInfo): where replication's projections start reading events.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".region_info (name text PRIMARY KEY, at timestamp)",
        // Offsets of the replication projections (Pekko Projections' Cassandra offset store).
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".offset_store ("
            + " projection_name text, partition int, projection_key text, offset text, manifest text,"
            + " last_updated timestamp, PRIMARY KEY ((projection_name, partition), projection_key))",
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".projection_management ("
            + " projection_name text, partition int, projection_key text, paused boolean, last_updated timestamp,"
            + " PRIMARY KEY ((projection_name, partition), projection_key))",
        // Blobs to collect: uploads in flight (key set: kept if the key references the blob by then)
        // and blobs of removed versions (key null: deleted once due).
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".blob_gc ("
            + " shard int, blob uuid, due timestamp, size bigint, chunk_size int, parts int, bucket text, part int, key text,"
            + " PRIMARY KEY (shard, blob))");
  }

  /**
   * Columns added after a table was first released, for keyspaces created by an earlier build: each is
   * applied once; Cassandra refusing one because the column exists is expected.
   */
  public static List<String> regionMigrations(String keyspace) {
    return List.of("ALTER TABLE " + keyspace + ".blob_gc ADD parts int",
        "ALTER TABLE " + keyspace + ".replication_status ADD size bigint",
        "ALTER TABLE " + keyspace + ".replication_status ADD source_time timestamp",
        // The bytes of inline (small) objects, apart from info so that listings do not read them.
        "ALTER TABLE " + keyspace + ".object_current ADD data blob",
        "ALTER TABLE " + keyspace + ".object_versions ADD data blob");
  }

  /**
   * Columns added to the global keyspace's tables after their first release: roles are keyed by their
   * name in lower case, with the name as given in {@code role_name}, and have a maximum session duration.
   */
  public static List<String> globalMigrations(String keyspace) {
    return List.of("ALTER TABLE " + keyspace + ".iam_roles ADD role_name text",
        "ALTER TABLE " + keyspace + ".iam_roles ADD max_session_duration int");
  }

  /** Applies migrations, skipping those already applied. */
  public static void migrate(CqlSession session, List<String> statements) {
    for (String cql : statements) {
      try {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30)));
      } catch (com.datastax.oss.driver.api.core.servererrors.InvalidQueryException e) {
        if (!e.getMessage().contains("already exist") && !e.getMessage().contains("conflicts")) throw e;
      }
    }
  }

  /** Statements for the keyspace replicated to every region: the bucket-name registry and IAM. */
  public static List<String> globalStatements(String keyspace, String replication) {
    return List.of(
        "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication,
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".buckets ("
            + " name text PRIMARY KEY, region text, owner text, created timestamp, incarnation uuid)",
        // IAM roles and their inline policies: the same in every region.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".iam_roles ("
            + " name text PRIMARY KEY, id text, arn text, path text, trust_policy text, description text, created timestamp)",
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".iam_role_policies ("
            + " role text, policy text, document text, PRIMARY KEY (role, policy))",
        // IAM users by name in lower case (names are unique ignoring case), and their inline policies.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".iam_users ("
            + " name_key text PRIMARY KEY, name text, id text, arn text, path text, created timestamp)",
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".iam_user_policies ("
            + " user_key text, policy text, document text, PRIMARY KEY (user_key, policy))",
        // Access keys by id (what authentication looks up; the secret sealed with AES-GCM), and by user.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".iam_access_keys ("
            + " id text PRIMARY KEY, user_name text, secret text, status text, created timestamp)",
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".iam_user_access_keys ("
            + " user_key text, id text, PRIMARY KEY (user_key, id))",
        // AWS managed policies attached to users ("user:<key>") and roles ("role:<key>").
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".iam_attached_policies ("
            + " principal text, policy_arn text, PRIMARY KEY (principal, policy_arn))");
  }

  /** Runs statements with a timeout long enough for schema agreement on a multi-DC ring. */
  public static void apply(CqlSession session, List<String> statements) {
    for (String cql : statements) {
      session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30)));
    }
  }
}
