package dev.meridian.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An S3 endpoint under test (Meridian or the reference) with its credentials, and the async clients that
 * drive it: AWS SDK v2 on Netty, path-style, no retries (every error the server answers is counted), and
 * the same settings for every target so that only the servers differ. With several endpoints (nodes of
 * one region) clients are created per endpoint and requests spread over them.
 *
 * <p>Checksums: by default the SDK computes only the checksums an operation requires (no CRC32 trailer on
 * every PUT, no response validation), so the numbers measure the servers, not the client's CRC work; set
 * {@code --sdk-checksums true} to use the SDK's defaults (aws-chunked bodies with CRC trailers).
 */
public record S3Target(String name, List<URI> endpoints, String accessKey, String secretKey, String region) {

  public S3Target {
    endpoints = List.copyOf(endpoints);
  }

  public S3Target(String name, URI endpoint, String accessKey, String secretKey, String region) {
    this(name, List.of(endpoint), accessKey, secretKey, region);
  }

  public URI endpoint() {
    return endpoints.get(0);
  }

  /** One client per endpoint, each with its own connection pool of {@code maxConnections}. */
  public List<S3AsyncClient> clients(int maxConnections, boolean sdkChecksums) {
    return endpoints.stream().map(e -> client(e, maxConnections, sdkChecksums)).toList();
  }

  public S3AsyncClient client(URI endpoint, int maxConnections, boolean sdkChecksums) {
    var builder = S3AsyncClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .maxConcurrency(Math.max(1, maxConnections))
            .maxPendingConnectionAcquires(100_000)
            .connectionAcquisitionTimeout(Duration.ofMinutes(2))
            .readTimeout(Duration.ofMinutes(2))
            .writeTimeout(Duration.ofMinutes(2)))
        .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(5))
            .retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (!sdkChecksums) {
      builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder.build();
  }
}
