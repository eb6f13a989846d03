internal import CLibUSB

/// A scanner interface this process has opened and claimed, with its one interrupt IN
/// transfer. Lives on the device thread; the owner frees the transfer, releases the
/// interface, gives the kernel driver back and closes the handle in `deinit`.
final class ClaimedScanner {
    enum State {
        /// Reading reports.
        case running
        /// Unplugged (LIBUSB_ERROR_NO_DEVICE): the stream of this device has ended.
        case gone
        /// Failed repeatedly; closed and tried again after a back-off.
        case failed(USBError)
        /// Shutting down: the transfer is being cancelled.
        case stopping
    }

    let description: USBDeviceDescription
    let device: OpaquePointer
    let handle: OpaquePointer
    let interfaceNumber: UInt8
    let endpoint: UInt8
    let interruptOut: UInt8?
    let kernelDriverDetached: Bool
    var interpreter: ReportInterpreter
    /// The station's channel the scans go to.
    var channel: ScanChannel?
    var state: State = .running
    var consecutiveErrors = 0
    private(set) var transferInFlight = false
    private let transfer: UnsafeMutablePointer<libusb_transfer>
    private let buffer: UnsafeMutablePointer<UInt8>
    private let bufferLength: Int
    /// Called on the device thread for each completed input report, with the CLOCK_MONOTONIC
    /// nanoseconds at which its transfer completed.
    var onReport: ((ClaimedScanner, [UInt8], UInt64) -> Void)?

    init?(description: USBDeviceDescription, device: OpaquePointer, handle: OpaquePointer, interface: USBDeviceDescription.Interface,
          kernelDriverDetached: Bool, interpreter: ReportInterpreter) {
        guard let endpoint = interface.interruptInAddress, let transfer = libusb_alloc_transfer(0) else { return nil }
        libusb_ref_device(device)
        self.description = description
        self.device = device
        self.handle = handle
        self.interfaceNumber = interface.number
        self.endpoint = endpoint
        self.interruptOut = interface.interruptOutAddress
        self.kernelDriverDetached = kernelDriverDetached
        self.interpreter = interpreter
        self.transfer = transfer
        // One packet per read, as the kernel's HID driver asks (a report fits in one packet).
        bufferLength = interface.interruptInMaxPacketSize > 0 ? Int(interface.interruptInMaxPacketSize & 0x7FF) : 64
        buffer = .allocate(capacity: bufferLength)
    }

    /// Queues the next interrupt IN read.
    func submit() throws(USBError) {
        let userData = Unmanaged.passUnretained(self).toOpaque()
        libusb_fill_interrupt_transfer(transfer, handle, endpoint, buffer, Int32(bufferLength), claimedScannerTransferDone, userData, 0)
        try USBError.check { libusb_submit_transfer(transfer) }
        transferInFlight = true
    }

    /// Asks libusb to end the pending read; its callback still runs (CANCELLED).
    func cancel() {
        guard transferInFlight else { return }
        state = .stopping
        if libusb_cancel_transfer(transfer) == LIBUSB_ERROR_NOT_FOUND.rawValue {
            transferInFlight = false
        }
    }

    fileprivate func completed() {
        transferInFlight = false
        let completedAt = MonotonicClock.nanoseconds()
        let status = transfer.pointee.status
        switch status {
        case LIBUSB_TRANSFER_COMPLETED:
            consecutiveErrors = 0
            let report = Array(UnsafeBufferPointer(start: buffer, count: Int(max(0, transfer.pointee.actual_length))))
            if !report.isEmpty { onReport?(self, report, completedAt) }
        case LIBUSB_TRANSFER_NO_DEVICE:
            state = .gone
            return
        case LIBUSB_TRANSFER_CANCELLED:
            return
        default:
            // ERROR, STALL, OVERFLOW, TIMED_OUT: retry a few times, then back off.
            consecutiveErrors += 1
            if consecutiveErrors >= 5 {
                state = .failed(status == LIBUSB_TRANSFER_STALL ? .pipe : status == LIBUSB_TRANSFER_OVERFLOW ? .overflow : .inputOutput)
                return
            }
        }
        guard case .running = state else { return }
        do {
            try submit()
        } catch USBError.noDevice {
            state = .gone
        } catch {
            state = .failed(error)
        }
    }

    /// Sends an output report (beeper, LED): on the interrupt OUT endpoint when there is
    /// one, otherwise with SET_REPORT (HID 1.11 7.2.2) on the control pipe.
    func sendOutputReport(_ report: [UInt8]) throws(USBError) {
        var bytes = report
        if let interruptOut {
            var transferred: Int32 = 0
            try USBError.check { libusb_interrupt_transfer(handle, interruptOut, &bytes, Int32(bytes.count), &transferred, 500) }
        } else {
            // wValue: report type 2 (output) in the high byte, the report id (first byte when
            // the descriptor uses ids, which the decoder includes) in the low byte.
            let reportID = UInt16(report.first ?? 0)
            try USBError.check {
                libusb_control_transfer(handle, 0x21, 0x09, 0x0200 | reportID, UInt16(interfaceNumber), &bytes, UInt16(bytes.count), 500)
            }
        }
    }

    deinit {
        // A transfer still queued would write into freed memory: leak it instead (the
        // loop only drops a scanner once its transfer has completed, so this is a guard).
        if !transferInFlight {
            libusb_free_transfer(transfer)
            buffer.deallocate()
        }
        libusb_release_interface(handle, Int32(interfaceNumber))
        if kernelDriverDetached {
            libusb_attach_kernel_driver(handle, Int32(interfaceNumber))
        }
        libusb_close(handle)
        libusb_unref_device(device)
    }
}

/// The transfer callback: runs on the device thread inside libusb_handle_events.
private func claimedScannerTransferDone(_ transfer: UnsafeMutablePointer<libusb_transfer>?) {
    guard let transfer, let userData = transfer.pointee.user_data else { return }
    Unmanaged<ClaimedScanner>.fromOpaque(userData).takeUnretainedValue().completed()
}
