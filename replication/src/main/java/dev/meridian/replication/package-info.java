/**
 * S3 Same-Region and Cross-Region Replication as Pekko Projections: one projection per destination region
 * and tag slice over the source region's object events, delivering replicas to the destination bucket's
 * partition entities (idempotent by version id), with progress recorded per version and destination.
 */
package dev.meridian.replication;
