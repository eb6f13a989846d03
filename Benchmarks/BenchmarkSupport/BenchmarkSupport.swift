#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What every benchmark needs to time and print its figures the same way.

/// CPU seconds this thread has used: on a shared machine it varies far less than wall
/// time, and "per second on one core" means per second of one core's time.
public func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The thread CPU seconds `body` takes.
public func cpuSeconds(_ body: () -> Void) -> Double {
    let start = threadCPUSeconds()
    body()
    return threadCPUSeconds() - start
}

/// The value at `fraction` (0.5 median, 0.99 p99) of already sorted samples; NaN for none.
public func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
}

/// A rate rounded to a whole number with thousands separators: 1,234,567.
public func groupedThousands(_ value: Double) -> String {
    let whole = Int(value.rounded())
    var text = String(whole.magnitude)
    var index = text.count - 3
    while index > 0 {
        text.insert(",", at: text.index(text.startIndex, offsetBy: index))
        index -= 3
    }
    return whole < 0 ? "-" + text : text
}
