package chat.server;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty leak detection at {@code paranoid} for every test, failing the test class during which a
 * leak is reported. The launcher listener installs a detector that records reports before any
 * buffer class is loaded; the extension (auto-detected, see junit-platform.properties) collects
 * garbage after each class and fails it if a leak was reported meanwhile.
 */
public final class LeakDetection implements LauncherSessionListener, AfterAllCallback {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Leaks are found when a collected buffer's reference is polled, which the next allocation
        // does; the reference handler thread enqueues them a moment after the collection.
        for (int round = 0; round < 5 && LEAKS.isEmpty(); round++) {
            System.gc();
            io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(1).release();
            io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        List<String> found = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            found.add(leak);
        }
        assertThat(found).as("Netty leak reports during " + context.getDisplayName()).isEmpty();
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add(resourceType + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add(resourceType);
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}
