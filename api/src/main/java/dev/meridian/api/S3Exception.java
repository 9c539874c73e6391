package dev.meridian.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * An S3 error on its way to the client: the table entry, a message (AWS's default unless a more specific
 * one helps), and extra elements AWS adds to some errors (e.g. {@code BucketName}, {@code Key}).
 */
public final class S3Exception extends RuntimeException {

  public final S3Error error;
  public final Map<String, String> extra = new TreeMap<>();
  /** Response headers that S3 sends with this error (e.g. x-amz-delete-marker on a deleted key). */
  public final Map<String, String> headers = new TreeMap<>();

  public S3Exception(S3Error error) {
    this(error, error.message);
  }

  public S3Exception(S3Error error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public S3Exception withHeader(String name, String value) {
    if (value != null) headers.put(name, value);
    return this;
  }

  public S3Exception with(String element, String value) {
    if (value != null) extra.put(element, value);
    return this;
  }
}
