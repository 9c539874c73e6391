package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** The CORSConfiguration document of Put/GetBucketCors. Mutable classes: absent elements stay null. */
public final class CorsXml {

  private CorsXml() {}

  @JacksonXmlRootElement(localName = "CORSConfiguration", namespace = S3Xml.NS)
  public static final class Configuration {
    @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("CORSRule") public List<Rule> rules = new ArrayList<>();
  }

  @JsonPropertyOrder({"ID", "AllowedHeader", "AllowedMethod", "AllowedOrigin", "ExposeHeader", "MaxAgeSeconds"})
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public static final class Rule {
    @JsonProperty("ID") public String id;
    @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("AllowedHeader") public List<String> allowedHeaders;
    @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("AllowedMethod") public List<String> allowedMethods;
    @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("AllowedOrigin") public List<String> allowedOrigins;
    @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("ExposeHeader") public List<String> exposeHeaders;
    @JsonProperty("MaxAgeSeconds") public Integer maxAgeSeconds;
  }
}
