// 城警联动 phone page: location (with a typed fallback), plate check, photo previews, countdown.
(function () {
  "use strict";
  var PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
  var L = "A-HJ-NP-Z";
  var ORDINARY = new RegExp("^[" + PROVINCES + "][" + L + "][" + L + "0-9]{4}[" + L + "0-9挂学警港澳领试超]$");
  var NEV_SMALL = new RegExp("^[" + PROVINCES + "][" + L + "][DF][" + L + "0-9][0-9]{4}$");
  var NEV_LARGE = new RegExp("^[" + PROVINCES + "][" + L + "][0-9]{5}[DF]$");

  function normalize(v) { return v.replace(/[\s·.\-]/g, "").toUpperCase(); }
  function kind(p) {
    if (NEV_SMALL.test(p) || NEV_LARGE.test(p)) return "新能源号牌";
    if (ORDINARY.test(p)) return "普通号牌";
    return null;
  }
  function $(id) { return document.getElementById(id); }

  var plate = $("plate");
  if (plate) {
    var hint = $("plate-hint");
    var check = function () {
      var p = normalize(plate.value);
      if (!p) { hint.textContent = ""; hint.className = "hint"; return false; }
      var k = kind(p);
      hint.textContent = k ? "✓ " + p + "（" + k + "）" : "车牌格式不正确（如 鲁P12345、鲁PD12345、鲁P12345D）";
      hint.className = "hint " + (k ? "ok" : "bad");
      return !!k;
    };
    plate.addEventListener("input", check);
    plate.addEventListener("blur", function () { plate.value = normalize(plate.value); check(); });
    check();
  }

  var status = $("geo-status");
  function locate() {
    if (!status) return;
    if (!("geolocation" in navigator)) {
      status.textContent = "本机不支持定位，请手工填写地点";
      return;
    }
    status.textContent = "正在获取定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      $("latitude").value = pos.coords.latitude.toFixed(6);
      $("longitude").value = pos.coords.longitude.toFixed(6);
      $("accuracy").value = Math.round(pos.coords.accuracy);
      status.textContent = "已定位 " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5) +
        "（±" + Math.round(pos.coords.accuracy) + "米）";
      status.className = "ok";
    }, function () {
      status.textContent = "无法定位，请填写交叉道路或地点描述";
      status.className = "error";
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 });
  }
  if (status) {
    locate();
    $("geo-retry").addEventListener("click", locate);
  }

  ["1", "2", "3"].forEach(function (n) {
    var input = $("photo" + n), img = $("preview" + n);
    if (!input) return;
    input.addEventListener("change", function () {
      if (input.files && input.files[0]) {
        img.src = URL.createObjectURL(input.files[0]);
        img.hidden = false;
      } else { img.hidden = true; }
    });
  });

  var form = $("report-form");
  if (form) {
    form.addEventListener("submit", function (ev) {
      var problems = [];
      if (plate && !kind(normalize(plate.value))) problems.push("请填写正确的车牌号码");
      var shots = ["photo1", "photo2", "photo3"].filter(function (id) {
        return $(id).files && $(id).files.length;
      }).length;
      if (shots < 2) problems.push("请至少拍摄2张现场照片");
      if (!$("street").value.trim()) problems.push("请填写街道（路段）");
      if (!$("latitude").value && !$("place").value.trim() && !$("cross_street").value.trim())
        problems.push("无法定位时请填写交叉道路或地点描述");
      if (problems.length) {
        ev.preventDefault();
        alert(problems.join("\n"));
      } else {
        $("submit").disabled = true;
        $("submit").textContent = "正在提交…";
      }
    });
  }

  var countdown = $("countdown");
  if (countdown) {
    var left = parseInt(countdown.dataset.seconds, 10);
    var tick = function () {
      if (left <= 0) { countdown.textContent = "已到期，等待转交警审核"; return; }
      countdown.textContent = "剩余 " + Math.floor(left / 60) + "分" + (left % 60) + "秒";
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
