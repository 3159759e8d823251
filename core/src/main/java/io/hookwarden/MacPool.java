package io.hookwarden;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Initialised {@link Mac}s for one key, reused across calls: {@code Mac.getInstance} and {@code init} cost more than
 * a MAC over a small body. A {@code Mac} is not thread-safe, so each call takes one out of a slot and puts it back;
 * when every slot is empty (more concurrent calls than slots) a clone of the prototype is made, and surplus ones are
 * dropped on return. Lock-free, and works the same for platform and virtual threads.
 */
final class MacPool {
    private static final int SLOTS = 2 * Runtime.getRuntime().availableProcessors() + 2;

    private final Mac prototype;
    private final AtomicReferenceArray<Mac> slots = new AtomicReferenceArray<>(SLOTS);

    MacPool(HmacAlgorithm algorithm, byte[] key) {
        try {
            prototype = Mac.getInstance(algorithm.jcaName());
            prototype.init(new SecretKeySpec(key, algorithm.jcaName()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot provide " + algorithm.jcaName(), e);
        }
        slots.set(0, prototypeClone());
    }

    Mac take() {
        int start = (int) (Thread.currentThread().getId() % SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            Mac mac = slots.getAndSet((start + i) % SLOTS, null);
            if (mac != null) {
                return mac;
            }
        }
        return prototypeClone();
    }

    /** Takes a {@code Mac} back, reset: a no-op after {@code doFinal}, a real reset after a call that failed midway. */
    void give(Mac mac) {
        mac.reset();
        int start = (int) (Thread.currentThread().getId() % SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            if (slots.compareAndSet((start + i) % SLOTS, null, mac)) {
                return;
            }
        }
    }

    private Mac prototypeClone() {
        try {
            synchronized (prototype) {
                return (Mac) prototype.clone();
            }
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + prototype.getAlgorithm() + " cannot be cloned", e);
        }
    }
}
