package dev.vicinity.server.xds;

import java.util.List;

/**
 * What one response carries: the type's version in the snapshot it comes from, the resources to send,
 * and (delta only) the names the client holds that are gone.
 */
record Plan(XdsType type, String version, List<VersionedResource> resources, List<String> removed) {}
