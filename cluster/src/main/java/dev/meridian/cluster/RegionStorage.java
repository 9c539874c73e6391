package dev.meridian.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meridian.cluster.object.KeyFilter;
import dev.meridian.cluster.object.VersionCache;
import dev.meridian.persistence.BlobGc;
import dev.meridian.persistence.BlobStore;
import dev.meridian.persistence.BucketRegistry;
import dev.meridian.persistence.IamStore;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ReplicationStatusStore;
import dev.meridian.persistence.ObjectIndex;
import dev.meridian.persistence.RegionInfo;
import dev.meridian.persistence.Schema;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's handles on Cassandra: its region's blob store, object index and blob collector, and the
 * global bucket registry. Shares the driver session of Pekko Persistence Cassandra (one connection pool
 * per node) and creates the schema when configured to.
 */
public final class RegionStorage {

  private static final Logger log = LoggerFactory.getLogger(RegionStorage.class);
  private static final String PLUGIN = "pekko.persistence.cassandra";
  private static final int EXPIRED_UPLOADS_PER_SWEEP = 1000;

  public final MeridianSettings settings;
  public final CqlSession session;
  public final BlobStore blobs;
  public final ObjectIndex index;
  public final BlobGc gc;
  public final BucketRegistry registry;
  public final IamStore iam;
  public final MultipartStore multipart;
  public final ReplicationStatusStore replicationStatus;
  public final VersionCache versionCache;
  public final KeyFilter.Budget keyFilters;

  private RegionStorage(MeridianSettings settings, CqlSession session) {
    this.settings = settings;
    this.session = session;
    this.blobs = new BlobStore(session, settings.regionKeyspace(), settings.chunkSize(), settings.writeParallelism(),
        settings.chunkCacheSize());
    this.index = new ObjectIndex(session, settings.regionKeyspace());
    this.gc = new BlobGc(session, settings.regionKeyspace());
    this.registry = new BucketRegistry(session, settings.globalKeyspace());
    this.iam = new IamStore(session, settings.globalKeyspace());
    this.multipart = new MultipartStore(session, settings.regionKeyspace());
    this.replicationStatus = new ReplicationStatusStore(session, settings.regionKeyspace());
    this.versionCache = new VersionCache(settings.versionCacheSize());
    this.keyFilters = new KeyFilter.Budget(settings.keyFilterSize());
  }

  /** Handles over a session to a Cassandra whose keyspaces exist (see {@link #connect}, which creates them). */
  public static RegionStorage over(MeridianSettings settings, CqlSession session) {
    return new RegionStorage(settings, session);
  }

  /** Connects (creating the schema first when configured) and prepares every statement. */
  public static CompletionStage<RegionStorage> connect(ActorSystem<?> system, MeridianSettings settings) {
    return CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(PLUGIN))
        .underlying()
        .thenApplyAsync(session -> {
          if (settings.schemaAutocreate()) {
            PluginSettings pluginSettings =
                PluginSettings.apply(Adapter.toClassic(system), system.settings().config().getConfig(PLUGIN));
            // Without a journal table, the region has no event yet: its creation is recorded below.
            boolean newRegion = !RegionInfo.holdsTable(session, pluginSettings.journalSettings().keyspace(),
                pluginSettings.journalSettings().table());
            Schema.apply(session, Schema.globalStatements(settings.globalKeyspace(), settings.globalReplication()));
            Schema.migrate(session, Schema.globalMigrations(settings.globalKeyspace()));
            Schema.apply(session, Schema.regionStatements(settings.regionKeyspace(), settings.regionReplication()));
            Schema.migrate(session, Schema.regionMigrations(settings.regionKeyspace()));
            // The plugin creates its tables lazily and a recovery can race that; create them up front.
            var plugin = new KeyspaceAndTableStatements(system, PLUGIN, pluginSettings);
            Schema.apply(session, plugin.getCreateJournalTablesStatements());
            Schema.apply(session, plugin.getCreateSnapshotTablesStatements());
            if (newRegion) RegionInfo.recordCreation(session, settings.regionKeyspace());
          }
          return new RegionStorage(settings, session);
        }, system.executionContext());
  }

  /**
   * Starts the periodic sweep of this region: multipart uploads abandoned past their expiry are aborted,
   * then due blobs are collected (every node sweeps; both steps are idempotent).
   */
  public void scheduleGc(ActorSystem<?> system) {
    system.scheduler().scheduleWithFixedDelay(settings.gcInterval(), settings.gcInterval(), () ->
        multipart.expire(Instant.now().minus(settings.abandonedUploadExpiry()), EXPIRED_UPLOADS_PER_SWEEP, gc)
            .whenComplete((n, e) -> {
              if (e != null) log.warn("expiring abandoned uploads failed: {}", e.toString());
              else if (n > 0) log.info("aborted {} abandoned multipart uploads", n);
            })
            .handle((n, e) -> null)
            .thenCompose(x -> gc.sweep(Instant.now(), index, blobs))
            .whenComplete((n, e) -> {
              if (e != null) log.warn("blob sweep failed: {}", e.toString());
              else if (n > 0) log.info("blob sweep collected {} blobs", n);
            }), system.executionContext());
  }
}
