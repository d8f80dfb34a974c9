package dev.vicinity.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.catalog.Catalog;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The translation benchmarks' operations timed in CPU seconds of the whole process (the benchmark thread,
 * GC and JIT threads) rather than wall time: on a machine shared with other jobs, wall time measures the
 * neighbours too, while the CPU an operation costs is what "per core" means. Single-threaded operations, so
 * endpoints per CPU second is endpoints per second on one core. Run with {@code -Xms4g -Xmx4g}, as JMH does.
 * Usage: {@code java -Xms4g -Xmx4g -cp benchmarks.jar dev.vicinity.benchmarks.CpuPerOp [seconds per benchmark]}.
 */
public final class CpuPerOp {
  private CpuPerOp() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    World world = LargeWorld.world();
    PolicySet policies = LargeWorld.policies();
    List<ClientProfile> clients = LargeWorld.clients();
    Catalog catalog = Catalog.build(world, policies);
    long perGroup = catalog.destinations().stream().mapToLong(d -> d.endpoints().size()).sum();
    GroupSnapshotBenchmark snapshots = new GroupSnapshotBenchmark();
    snapshots.setUp();
    Map<String, Runnable> operations = new LinkedHashMap<>();
    operations.put("catalog", () -> Catalog.build(world, policies));
    operations.put("translateOneGroup", () -> Translator.translate(catalog, clients.get(0)));
    operations.put("reconcileEightGroups", () -> {
      Catalog fresh = Catalog.build(world, policies);
      clients.forEach(client -> Translator.translate(fresh, client));
    });
    operations.put("newGroup", snapshots::newGroup);
    operations.put("newGroupWithoutMemos", snapshots::newGroupWithoutMemos);
    Map<String, Long> endpoints = Map.of("reconcileEightGroups", perGroup * clients.size());
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println("| benchmark | CPU per op | wall per op | endpoints/s/core (CPU) |\n|---|---|---|---|");
    operations.forEach((name, operation) -> {
      run(operation, seconds / 3); // warm-up
      long cpu = os.getProcessCpuTime();
      long wall = System.nanoTime();
      int ops = run(operation, seconds);
      double cpuPerOp = (os.getProcessCpuTime() - cpu) / 1e9 / ops;
      double wallPerOp = (System.nanoTime() - wall) / 1e9 / ops;
      System.out.printf("| %s | %.0f ms | %.0f ms | %,.0f |%n", name, cpuPerOp * 1000, wallPerOp * 1000,
          endpoints.getOrDefault(name, perGroup) / cpuPerOp);
    });
  }

  private static int run(Runnable operation, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int ops = 0;
    do {
      operation.run();
      ops++;
    } while (System.nanoTime() < end);
    return ops;
  }
}
