extension ScanStationConfiguration {
    /// The commented example `scanstation config example` prints; it passes `config check`.
    public static let exampleText = """
        # scanstation configuration: /etc/scanstation/scanstation.toml
        # Check it with `scanstation config check`; apply changes with `systemctl reload scanstation`
        # (the database path and the listener address need a restart).

        # The SQLite store. Default: $STATE_DIRECTORY/scanstation.db (/var/lib/scanstation under systemd).
        database = "/var/lib/scanstation/scanstation.db"
        # The station display and Prometheus /metrics; "off" disables them.
        listen = "127.0.0.1:8420"
        # Prompt language: en or de.
        language = "en"
        # `scanstation status`, `reload`, `sync now` and `logout` talk to the daemon here.
        control_socket = "/run/scanstation/control.sock"

        # The warehouse hub. Without this table the station works alone.
        # [hub]
        # url = "https://hub.example:8443"
        # ca_file = "/etc/scanstation/hub-ca.pem"

        # The site's label scheme.
        [scheme]
        command_prefix = "CMD-"   # command barcodes: CMD-DONE, CMD-QTY-12, ...
        operator_prefix = "OP-"   # operator badges

        # One [[station]] per work place served by this PC.
        [[station]]
        name = "dock-1"
        mode = "receive"                     # the mode it starts in
        modes = ["receive", "putaway"]       # what CMD-MODE-x may switch to
        # Sources: usb (known scanners), usb:VID:PID, serial:/dev/ttyACM0, camera:/dev/video0,
        # frames:PATH|-, llrp:HOST[:PORT], stdin.
        sources = ["usb:05e0:1200"]
        layout = "us"                        # keyboard layout the scanners are set to
        terminator = "enter"                 # enter, tab or none
        # prefix = "]"                       # scanner-configured prefix/suffix to strip
        # suffix = ""
        token_file = "/etc/scanstation/dock-1.token"   # this station's hub token
        receive_to = "DOCK-3"                # default: the first location of kind dock
        # stage_to = "STAGE-1"               # default: the first location of kind staging
        # pack_at = "PACK-1"                 # default: the first location of kind pack
        sscc_company_prefix = "4012345"      # for SSCCs the station mints (CMD-NEWBOX)
        sscc_serial_range = [1000000, 1999999]
        require_login = false                # true: scan a badge before any work
        # idle_logout_minutes = 30

        # Cameras and frame streams of this station (sources camera:/dev/videoN, frames:PATH).
        # [station.camera]
        # resolution = "1280x720"
        # symbologies = ["ean-13", "gs1-128", "datamatrix", "gs1-datamatrix"]   # only what the site uses
        # hold_off_ms = 1500                 # a label kept in view counts once

        [station.policy]
        unknown_product = "reject"           # reject, warn or allow
        over_receipt = "warn"
        expired = "reject"
        over_pick = "reject"                 # more than a pick line has left
        over_pack = "reject"                 # more into boxes than was picked
        allow_negative_stock = false
        blind_receiving = false              # true: goods may arrive without an expected receipt

        """
}
