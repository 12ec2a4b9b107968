package chat.server.metrics;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM and process side of /metrics: heap, direct memory (the JVM's and Netty's), GC time,
 * file descriptors, CPU time and resident memory. Read at each scrape from the JDK's management
 * beans and {@code /proc/self/status}; a value the platform does not give is left out rather than
 * reported as 0. Called on the metrics thread only; the beans themselves are thread-safe.
 */
final class RuntimeMetrics {

    /** Where Linux tells a process its resident set size ({@code VmRSS:  123 kB}). */
    static final Path PROC_SELF_STATUS = Path.of("/proc/self/status");

    private final ByteBufAllocator allocator;
    private final Path procStatus;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final BufferPoolMXBean directPool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(p -> p.getName().equals("direct")).findFirst().orElse(null);

    /** @param allocator the allocator the connections use; @param procStatus {@link #PROC_SELF_STATUS} but in tests */
    RuntimeMetrics(ByteBufAllocator allocator, Path procStatus) {
        this.allocator = allocator;
        this.procStatus = procStatus;
    }

    void writeTo(PrometheusText out) {
        heap(out);
        directMemory(out);
        garbageCollection(out);
        process(out);
    }

    private static void heap(PrometheusText out) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.family("chat_jvm_heap_bytes", "JVM heap: used, committed by the JVM, and its maximum.", "gauge")
                .sample("chat_jvm_heap_bytes", "area", "used", heap.getUsed())
                .sample("chat_jvm_heap_bytes", "area", "committed", heap.getCommitted());
        if (heap.getMax() >= 0) {
            out.sample("chat_jvm_heap_bytes", "area", "max", heap.getMax());
        }
    }

    // Two views of one thing: Netty counts each direct buffer it allocates, through java.nio or
    // not, against its own limit; the JVM counts every java.nio direct buffer, Netty's or not.
    private void directMemory(PrometheusText out) {
        out.family("chat_direct_memory_bytes", "Direct (off-heap) memory: java.nio direct buffers as the JVM "
                + "counts them (jvm), and Netty's buffers as Netty counts them (netty). They overlap.", "gauge");
        if (directPool != null) {
            out.sample("chat_direct_memory_bytes", "pool", "jvm", directPool.getMemoryUsed());
        }
        long netty = PlatformDependent.usedDirectMemory();
        if (netty >= 0) {
            out.sample("chat_direct_memory_bytes", "pool", "netty", netty);
        }
        out.gauge("chat_direct_memory_max_bytes",
                "Most direct memory Netty will allocate (-Dio.netty.maxDirectMemory).",
                PlatformDependent.maxDirectMemory());
        if (allocator instanceof ByteBufAllocatorMetricProvider p) {
            out.gauge("chat_netty_allocator_direct_bytes",
                    "Direct memory held by Netty's buffer allocator for the connections, in use or pooled.",
                    p.metric().usedDirectMemory());
        }
    }

    private void garbageCollection(PrometheusText out) {
        out.family("chat_gc_pause_seconds_total",
                "Time spent in collections, by collector (pauses, for stop-the-world collectors).", "counter");
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc.getCollectionTime() >= 0) {
                out.sample("chat_gc_pause_seconds_total", "gc", gc.getName(), gc.getCollectionTime() / 1e3);
            }
        }
        out.family("chat_gc_collections_total", "Collections, by collector.", "counter");
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc.getCollectionCount() >= 0) {
                out.sample("chat_gc_collections_total", "gc", gc.getName(), gc.getCollectionCount());
            }
        }
    }

    private void process(PrometheusText out) {
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            out.gauge("chat_process_open_fds", "File descriptors open: one per connection, plus the JVM's.",
                    unix.getOpenFileDescriptorCount());
            out.gauge("chat_process_max_fds", "Most file descriptors the process may open (ulimit -n).",
                    unix.getMaxFileDescriptorCount());
        }
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
            out.family("chat_process_cpu_seconds_total", "CPU time of the process, user and system.", "counter")
                    .sample("chat_process_cpu_seconds_total", sun.getProcessCpuTime() / 1e9);
        }
        long rss = residentBytes();
        if (rss >= 0) {
            out.gauge("chat_process_resident_memory_bytes", "Resident set size (VmRSS).", rss);
        }
    }

    /** VmRSS in bytes, or -1 where there is no such file or line (not Linux). */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(procStatus, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * (parts.length > 1 && parts[1].equals("kB") ? 1024 : 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a format we do not know: the gauge is left out.
        }
        return -1;
    }
}
